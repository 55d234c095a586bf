package io.imgstore.service.catalog;

import io.imgstore.format.ImgStoreException;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.StoreMetadata;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The stores under the configured root: listing (any depth, a folder with {@code metadata.yaml}
 * is a store and is not descended into), and the only place that turns ids and client paths into
 * file-system paths, refusing anything that would leave the root ({@code ..}, absolute paths,
 * symlinks pointing out).
 */
@Component
public class StoreCatalog {

    private final StoreFiles files;
    private final Path root;
    private final Path realRoot;
    private final long scanNanos;
    private final Map<Path, CachedMetadata> metadataCache = new ConcurrentHashMap<>();
    private volatile List<StoreEntry> lastScan;
    private volatile StoreCatalog overlay;
    private volatile long lastScanAt;

    private record CachedMetadata(FileTime modified, StoreMetadata store, String error) {
    }

    /** A catalog of the local folder {@code properties.root()} (tests, tools). */
    public StoreCatalog(StoreProperties properties) {
        this(properties, StoreRoot.local(properties.localRoot()));
    }

    /** The catalog of {@code storeRoot}: every store file it reads goes through {@code storeRoot.files()}. */
    @Autowired
    public StoreCatalog(StoreProperties properties, StoreRoot storeRoot) {
        this.files = storeRoot.files();
        this.root = storeRoot.root();
        try {
            this.realRoot = files.realPath(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use store root " + properties.root(), e);
        }
        this.scanNanos = properties.scanInterval().toNanos();
    }

    public Path root() {
        return root;
    }

    /** How the stores' files are read (the storage seam); pass it to {@code ImgStore.open}. */
    public StoreFiles files() {
        return files;
    }

    /** True while a writer has the store in {@code dir} open (its {@code .lock} exists). */
    public boolean isBeingWritten(Path dir) {
        return filesFor(dir).exists(StoreLayout.lockFile(dir));
    }

    /**
     * Adds the stores of a local spool folder (ingest on an object-storage root writes there first,
     * {@code imgstore.s3.spool-dir}): they are listed with the root's stores (the spool's entry wins
     * for the same path), found first by {@link #find}, and read from the local disk
     * ({@link #filesFor}, {@link #realRootFor}).
     */
    public void overlay(StoreCatalog spool) {
        this.overlay = spool;
        lastScan = null;
    }

    /** How the files of the store in {@code dir} are read: the spool's (local) or the root's. */
    public StoreFiles filesFor(Path dir) {
        StoreCatalog o = overlay;
        return o != null && dir.startsWith(o.root()) ? o.files() : files;
    }

    /** The real root the store in {@code dir} must stay inside: the spool's or the root's. */
    public Path realRootFor(Path dir) {
        StoreCatalog o = overlay;
        return o != null && dir.startsWith(o.root()) ? o.realRoot() : realRoot;
    }

    /** How long a listing (and what it says about each store) is reused before it is read again. */
    public java.time.Duration scanInterval() {
        return java.time.Duration.ofNanos(scanNanos);
    }

    /** The root with links resolved: every file the service reads must really be under it. */
    public Path realRoot() {
        return realRoot;
    }

    /** Every store under the root, sorted by path; re-walked at most once per scan interval. */
    public List<StoreEntry> list() {
        List<StoreEntry> scan = lastScan;
        long now = System.nanoTime();
        if (scan == null || now - lastScanAt > scanNanos) {
            scan = walk();
            lastScan = scan;
            lastScanAt = now;
        }
        StoreCatalog o = overlay;
        if (o == null) {
            return scan;
        }
        Map<String, StoreEntry> byPath = new java.util.TreeMap<>();
        for (StoreEntry e : scan) {
            byPath.put(e.path(), e);
        }
        for (StoreEntry e : o.list()) {
            byPath.put(e.path(), e); // being written (or not uploaded yet): read from the spool
        }
        return List.copyOf(byPath.values());
    }

    /** Forgets the cached listing (after a store was created). */
    public void refresh() {
        lastScan = null;
        StoreCatalog o = overlay;
        if (o != null) {
            o.refresh();
        }
    }

    private List<StoreEntry> walk() {
        List<StoreEntry> out = new ArrayList<>();
        if (files.localFile(root).isEmpty()) {
            walkThroughSeam(root, out, 0);
            out.sort(Comparator.comparing(StoreEntry::path));
            return List.copyOf(out);
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (Files.isRegularFile(StoreLayout.metadataFile(dir), LinkOption.NOFOLLOW_LINKS)) {
                        if (!dir.equals(root)) {
                            out.add(entry(dir));
                        }
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(StoreEntry::path));
        return List.copyOf(out);
    }

    /** Deepest folder level a walk through the seam descends to (the local walk has the file system's bound). */
    static final int MAX_WALK_DEPTH = 64;

    /**
     * The walk for storage that is not the local disk: the same rules (hidden folders skipped, a
     * folder with {@code metadata.yaml} is a store and is not descended into) through
     * {@link StoreFiles#list}; such storage has no links to follow.
     */
    private void walkThroughSeam(Path dir, List<StoreEntry> out, int depth) {
        if (depth > MAX_WALK_DEPTH) {
            return;
        }
        if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
            return;
        }
        if (files.isFile(StoreLayout.metadataFile(dir))) {
            if (!dir.equals(root)) {
                out.add(entry(dir));
            }
            return;
        }
        List<Path> children;
        try {
            children = files.list(dir);
        } catch (IOException e) {
            return; // as visitFileFailed: an unreadable folder holds no stores we can list
        }
        for (Path child : children) {
            if (files.isDirectory(child)) {
                walkThroughSeam(child, out, depth + 1);
            }
        }
    }

    private StoreEntry entry(Path dir) {
        String rel = relative(dir);
        CachedMetadata md = metadata(dir);
        return new StoreEntry(StoreIds.idFor(rel), rel, dir, md.store(), md.error(), isBeingWritten(dir));
    }

    private CachedMetadata metadata(Path dir) {
        Path file = StoreLayout.metadataFile(dir);
        FileTime modified;
        try {
            modified = files.lastModified(file);
        } catch (IOException e) {
            return new CachedMetadata(FileTime.fromMillis(0), StoreMetadata.ofStoreBlock(Map.of()), "metadata.yaml unreadable");
        }
        CachedMetadata cached = metadataCache.get(dir);
        if (cached != null && cached.modified().equals(modified)) {
            return cached;
        }
        CachedMetadata fresh;
        try {
            StoreMetadata md = StoreMetadata.read(files, dir, realRoot);
            fresh = new CachedMetadata(modified, StoreMetadata.ofStoreBlock(md.withoutNullValues().store()), null);
        } catch (ImgStoreException e) {
            String m = String.valueOf(e.getMessage());
            fresh = new CachedMetadata(modified, StoreMetadata.ofStoreBlock(Map.of()), m.contains("\n") ? m.substring(0, m.indexOf('\n')) : m);
        }
        metadataCache.put(dir, fresh);
        return fresh;
    }

    private String relative(Path dir) {
        return root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "/");
    }

    /**
     * The store an id names.
     *
     * @throws StoreNotInRootException when the id names no store under the root
     */
    public StoreEntry find(String id) {
        StoreCatalog o = overlay;
        if (o != null) {
            try {
                return o.find(id);
            } catch (StoreNotInRootException notInSpool) {
                // not being written: the root's
            }
        }
        String rel = StoreIds.pathFor(id);
        checkLengths(rel);
        Path dir = resolveInside(rel);
        if (dir == null || !files.isFile(StoreLayout.metadataFile(dir)) || !metadataInside(dir)) {
            throw new StoreNotInRootException("no store with id '" + shortId(id) + "'");
        }
        return entry(dir);
    }

    /** Longest file name segment (bytes, UTF-8), as most file systems allow. */
    public static final int MAX_SEGMENT_BYTES = 255;
    /** Longest relative store path (bytes, UTF-8), Linux's PATH_MAX. */
    public static final int MAX_PATH_BYTES = 4096;

    /**
     * Refuses store paths the file system could not hold (a segment over 255 bytes or a path over
     * 4096 bytes), which would otherwise fail deep in file system calls.
     *
     * @throws InvalidStorePathException (400) for such paths
     */
    static void checkLengths(String rel) {
        if (rel.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new InvalidStorePathException("store path longer than " + MAX_PATH_BYTES + " bytes");
        }
        for (String seg : rel.split("/", -1)) {
            if (seg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new InvalidStorePathException("store path segment longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
    }

    private static String shortId(String id) {
        return id.length() > 200 ? id.substring(0, 200) + "…" : id;
    }

    /** metadata.yaml (after following links) is under the root; a link leading out makes no store. */
    private boolean metadataInside(Path dir) {
        try {
            return files.realPath(StoreLayout.metadataFile(dir)).startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The folder for a new store at a client-given relative path.
     *
     * @throws InvalidStorePathException for absolute paths, {@code ..}, empty or hidden segments, or
     *                                   paths whose existing part leaves the root through a symlink
     */
    public Path newStoreDir(String relativePath) {
        if (relativePath == null || relativePath.isBlank()) {
            throw new InvalidStorePathException("path is required");
        }
        String p = relativePath.replace('\\', '/');
        checkLengths(p);
        if (p.startsWith("/") || p.matches("^[A-Za-z]:.*")) {
            throw new InvalidStorePathException("path must be relative to the store root");
        }
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.startsWith(".") || seg.contains("\0")) {
                throw new InvalidStorePathException("path segments must be non-empty names, not '.', '..' or hidden");
            }
        }
        Path dir = resolveInside(p);
        if (dir == null) {
            throw new InvalidStorePathException("path leaves the store root");
        }
        return dir;
    }

    /** Resolves a relative path under the root; null when it would leave the root. */
    private Path resolveInside(String rel) {
        if (rel.startsWith("/") || rel.contains("\0")) {
            return null;
        }
        Path dir = root.resolve(rel).normalize();
        if (!dir.startsWith(root) || dir.equals(root)) {
            return null;
        }
        // the deepest existing ancestor must really be inside the root (no symlink out)
        Path existing = dir;
        while (existing != null && !files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing == null || !files.realPath(existing).startsWith(realRoot)) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return dir;
    }

    /** The id of a store folder under the root. */
    public String idOf(Path dir) {
        return StoreIds.idFor(relative(dir.toAbsolutePath().normalize()));
    }
}
