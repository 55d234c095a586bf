package io.imgstore.service.ingest;

import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.StoreExistsException;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.StoreLease;
import io.imgstore.format.StoreLockedException;
import io.imgstore.format.StoreMetadata;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.format.storage.s3.SpooledStoreWriter;
import io.imgstore.format.storage.s3.StoreTransfer;
import io.imgstore.service.catalog.InvalidStorePathException;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreEntry;
import io.imgstore.service.catalog.StoreNotInRootException;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.service.web.BadRequestException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The stores open for writing, by id: one {@link WriterSession} (one {@link ImgStoreWriter}) per
 * store, kept open between requests until {@code POST /stores/{id}/close}.
 *
 * <p>Crash safety: a store left open by a killed server ({@code .lock} present) is recovered with
 * {@link ImgStoreWriter#recover} when the server starts (or, failing that, when a client first
 * writes to it): the open chunk's index is rebuilt from its journal, and the store is kept open so
 * that rigs continue where they were (in a new chunk) and close it as usual. A graceful shutdown
 * closes every open store cleanly (nothing is lost) and remembers them in the {@link ReopenList},
 * so that they too are reopened for continuation on the next start ({@link IngestRecovery}). Journals
 * are synced and readers refreshed by {@link IngestSyncTicker}; requests become specs in {@link StoreSpecs}.
 */
@Service
public class IngestSessions {

    private static final Logger LOG = LoggerFactory.getLogger(IngestSessions.class);

    /** Where stores are written: the root's catalog, or the spool folder's on an object-storage root. */
    private final StoreCatalog catalog;
    /** The root's catalog (with the spool's stores overlaid when spooling). */
    private final StoreCatalog rootCatalog;
    private final SpoolTarget spool;
    private final StoreRegistry registry;
    private final IngestProperties props;
    private final BufferBudget budget;
    private final Map<String, WriterSession> open = new ConcurrentHashMap<>();
    private final ReopenList reopenList;
    private final WriterLimit writerLimit;
    /** Set by {@link #beginShutdown()}: no store is created, recovered or streamed into any more. */
    private volatile boolean stopping;

    public IngestSessions(StoreCatalog catalog, StoreRegistry registry, IngestProperties props, MeterRegistry meters) {
        this(catalog, registry, props, meters, WriterLimit.unlimited());
    }

    public IngestSessions(StoreCatalog catalog, StoreRegistry registry, IngestProperties props, MeterRegistry meters,
                          WriterLimit writerLimit) {
        this(catalog, registry, props, meters, writerLimit, SpoolTarget.none());
    }

    /**
     * With {@code spool} enabled (an object-storage root with {@code imgstore.s3.spool-dir}), stores are
     * written in the spool folder by {@link SpooledStoreWriter}s, which upload each finished chunk and
     * the rest at close; the root's catalog lists and reads them from the spool meanwhile.
     */
    @org.springframework.beans.factory.annotation.Autowired
    public IngestSessions(StoreCatalog catalog, StoreRegistry registry, IngestProperties props, MeterRegistry meters,
                          WriterLimit writerLimit, SpoolTarget spool) {
        this.writerLimit = writerLimit;
        this.rootCatalog = catalog;
        this.spool = spool;
        if (spool.enabled()) {
            catalog.overlay(spool.catalog());
        }
        this.catalog = spool.enabled() ? spool.catalog() : catalog;
        this.registry = registry;
        this.props = props;
        this.budget = new BufferBudget(props.maxBufferedBytes());
        this.reopenList = new ReopenList(catalog.root());
        Gauge.builder("imgstore.ingest.open", open, Map::size).description("stores open for writing").register(meters);
        Gauge.builder("imgstore.ingest.buffered.bytes", budget, BufferBudget::heldBytes)
                .description("frame bytes parsed and waiting for a writer").register(meters);
    }

    public IngestProperties properties() {
        return props;
    }

    public BufferBudget budget() {
        return budget;
    }

    // ---- create ----

    /**
     * Creates a store and keeps it open for writing.
     *
     * @throws io.imgstore.service.catalog.InvalidStorePathException for a path that is absolute, has {@code ..}, ...
     * @throws StoreExistsException when the path exists or lies inside another store
     * @throws UnsupportedFormatException for unknown formats and dtypes
     * @throws BadRequestException for bad shapes or chunk sizes
     */
    public WriterSession create(CreateStoreRequest req) {
        checkWritableRoot();
        Path dir = catalog.newStoreDir(req.path());
        StoreSpec spec = StoreSpecs.of(req, props.maxFrameBytes());
        for (Path p = dir; p != null && p.startsWith(catalog.root()) && !p.equals(catalog.root()); p = p.getParent()) {
            if (p.equals(dir) && ImgStore.isStore(p)) {
                throw existing(dir, "a store already exists at " + req.path()
                        + " (\"exist_ok\": true continues it when format, imgshape and imgdtype match)");
            }
            if (ImgStore.isStore(p)) {
                throw new StoreExistsException("path " + req.path() + " lies inside the store " + catalog.root().relativize(p));
            }
        }
        if (Files.exists(dir)) {
            throw new StoreExistsException("path " + req.path() + " already exists");
        }
        String id = catalog.idOf(dir);
        if (spool.enabled()) {
            checkNotInObjectStorage(dir, req.path());
        }
        synchronized (this) {
            checkNotStopping();
            if (open.containsKey(id)) {
                throw existing(dir, "a store already exists at " + req.path());
            }
            writerLimit.check(spec, openSessions());
            ImgStoreWriter w;
            Runnable closer;
            StoreLease lease = spool.enabled() ? spool.lease(relativePath(dir)) : null; // 409 when held elsewhere
            try {
                if (spool.enabled()) {
                    SpooledStoreWriter sw = SpooledStoreWriter.create(dir, spec, spool.destination(relativePath(dir)),
                            spool.transfer(), spool.maxQueuedChunks());
                    sw.holdLease(lease);
                    w = sw.writer();
                    closer = spooledCloser(sw, lease);
                } else {
                    w = ImgStoreWriter.create(dir, spec);
                    closer = w::close;
                }
            } catch (ImgStoreException e) {
                if (lease != null) {
                    lease.close();
                }
                throw RootNotWritableException.orSame(e, catalog.root(), dir);
            } catch (RuntimeException e) {
                if (lease != null) {
                    lease.close();
                }
                throw e;
            }
            WriterSession s = newSession(id, dir, w, closer, lease);
            open.put(id, s);
            refreshCatalogs();
            LOG.info("created store {} ({} {})", id, spec.format(), java.util.Arrays.toString(spec.imgshape()));
            return s;
        }
    }

    /** True when the root is a local folder; an object-storage root is read-only for now. */
    public boolean writableRoot() {
        return catalog.files().localFile(catalog.root()).isPresent();
    }

    /** @throws RootReadOnlyException (501) for an object-storage root, before anything is looked at */
    private void checkWritableRoot() {
        if (!writableRoot()) {
            throw new RootReadOnlyException();
        }
        spool.checkLeases(); // 503 when writer leases cannot be taken on the object-storage root
    }

    private ExistingStoreException existing(Path dir, String message) {
        String id = catalog.idOf(dir);
        return new ExistingStoreException(id, relativePath(dir), find(id) != null || StoreLayout.isBeingWritten(dir), message);
    }

    private String relativePath(Path dir) {
        return catalog.root().relativize(dir).toString().replace('\\', '/');
    }

    /**
     * For {@code POST /stores} with {@code exist_ok}: the store already at the request's path, open
     * for writing (kept open, recovered after a crash, or reopened for appending after a clean close:
     * {@link ImgStoreWriter#recover}), when its format, imgshape and imgdtype are the request's; null
     * when there is no store at the path (create it).
     *
     * @throws ExistingStoreException (409) when the store there differs from the request
     * @throws StoreLockedException   (409) when another process holds it open
     */
    public WriterSession existing(CreateStoreRequest req) {
        checkWritableRoot();
        Path dir = catalog.newStoreDir(req.path());
        if (!ImgStore.isStore(dir)) {
            if (spool.enabled() && inObjectStorage(catalog.idOf(dir))) {
                throw existing(dir, "the store at " + req.path() + " is in object storage and closed; a store there"
                        + " is continued only while it is being written (in the spool folder)");
            }
            return null;
        }
        StoreSpec spec = StoreSpecs.of(req, props.maxFrameBytes());
        String id = catalog.idOf(dir);
        WriterSession open = find(id);
        StoreMetadata md = open != null ? StoreMetadata.ofStoreBlock(open.storeMetadata()) : StoreMetadata.read(dir, catalog.realRoot());
        String mismatch = mismatch(spec, md);
        if (mismatch != null) {
            throw existing(dir, "a store already exists at " + req.path() + " with " + mismatch
                    + "; exist_ok continues a store only when format, imgshape and imgdtype match");
        }
        if (open != null) {
            return open;
        }
        if (StoreLayout.isBeingWritten(dir)) {
            return session(id); // left open by a killed server: recovered (or 409 when another process holds it)
        }
        synchronized (this) {
            WriterSession s = find(id);
            return s != null ? s : reopen(catalog.find(id));
        }
    }

    /** How the store's metadata differs from a create request's spec, or null when they agree. */
    static String mismatch(StoreSpec spec, StoreMetadata md) {
        List<String> diff = new ArrayList<>();
        if (!spec.format().name().equalsIgnoreCase(String.valueOf(md.format()))) {
            diff.add("format " + md.format() + " (requested " + spec.format().name() + ")");
        }
        List<Integer> stored = md.imgshapeValues() == null ? List.of()
                : md.imgshapeValues().stream().map(v -> v instanceof Number n ? n.intValue() : -1).toList();
        int[] req = spec.imgshape();
        boolean shapeOk = stored.size() == req.length;
        for (int i = 0; shapeOk && i < req.length; i++) {
            // video stores write even sizes (a 481-row request is stored as 480)
            int r = req[i];
            shapeOk = stored.get(i) == r || (spec.format().video() && i < 2 && stored.get(i) == (r & ~1));
        }
        if (!shapeOk) {
            diff.add("imgshape " + stored + " (requested " + java.util.Arrays.toString(req) + ")");
        }
        String dtype = md.imgdtype() == null ? "uint8" : md.imgdtype();
        if (!spec.pixelType().dtype().equals(dtype)) {
            diff.add("imgdtype " + dtype + " (requested " + spec.pixelType().dtype() + ")");
        }
        return diff.isEmpty() ? null : String.join(", ", diff);
    }

    /** The spec of a new store with the default frame limit (for tools and benches); see {@link StoreSpecs}. */
    public static StoreSpec specOf(CreateStoreRequest req) {
        return StoreSpecs.of(req, IngestProperties.DEFAULT_MAX_FRAME_BYTES);
    }

    private WriterSession newSession(String id, Path dir, ImgStoreWriter w, Runnable closer, StoreLease lease) {
        w.setMaxExtraDataBytesPerChunk(props.maxExtraDataBytesPerChunk());
        return new WriterSession(id, catalog.root().relativize(dir).toString().replace('\\', '/'), w, closer,
                !spool.enabled(), props.queueFrames(), budget, s -> registry.invalidate(s.id()), lease);
    }

    /** Reopens the store in {@code dir} for writing (recovered first): spooled on an object-storage root. */
    private WriterSession reopenSession(String id, Path dir) {
        if (spool.enabled()) {
            StoreLease lease = spool.lease(relativePath(dir)); // 409 when another replica holds the store
            SpooledStoreWriter sw;
            try {
                sw = SpooledStoreWriter.resume(dir, spool.destination(relativePath(dir)), spool.transfer(),
                        spool.maxQueuedChunks());
            } catch (IOException e) {
                lease.close();
                throw new ImgStoreException("cannot reopen the spooled store " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
            sw.holdLease(lease);
            return newSession(id, dir, sw.writer(), spooledCloser(sw, lease), lease);
        }
        ImgStoreWriter w = ImgStoreWriter.recover(dir);
        return newSession(id, dir, w, w::close, null);
    }

    /**
     * Closes a spooled store (uploads it, then releases its lease). When its lease was lost the spool
     * folder is not uploaded (another writer may own the store in the bucket): it is moved aside to
     * {@code <spool-dir>/.lost/<path>.<millis>} (hidden: not listed, not recovered, not uploaded at the next
     * start) for an operator to inspect, and the store's path no longer shadows the bucket's.
     */
    private Runnable spooledCloser(SpooledStoreWriter sw, StoreLease lease) {
        return () -> {
            try {
                sw.close();
            } catch (ImgStoreException e) {
                if (lease.isLost()) {
                    quarantine(sw.spoolStore());
                }
                throw e;
            }
        };
    }

    private void quarantine(Path dir) {
        Path to = spool.dir().resolve(".lost").resolve(relativePath(dir) + "." + System.currentTimeMillis());
        try {
            Files.createDirectories(to.getParent());
            Files.move(dir, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("spooled store {} lost its writer lease: its spool folder is kept in {}, not uploaded",
                    relativePath(dir), to);
        } catch (IOException | RuntimeException e) {
            LOG.warn("spooled store {} lost its writer lease; moving its spool folder aside failed ({}): it stays in"
                    + " {} and must not be uploaded", relativePath(dir), e.getMessage(), dir);
        }
        catalog.refresh();
    }

    /** True when the object-storage root has a (closed) store with this id that is not in the spool. */
    private boolean inObjectStorage(String id) {
        try {
            return !rootCatalog.find(id).dir().startsWith(spool.dir());
        } catch (StoreNotInRootException | InvalidStorePathException e) {
            return false;
        }
    }

    /** On an object-storage root: the path must be no store there, nor lie inside one. */
    private void checkNotInObjectStorage(Path dir, String path) {
        if (inObjectStorage(catalog.idOf(dir))) {
            throw existing(dir, "a store already exists at " + path + " in object storage");
        }
        for (Path p = dir.getParent(); p != null && p.startsWith(catalog.root()) && !p.equals(catalog.root());
                p = p.getParent()) {
            if (inObjectStorage(catalog.idOf(p))) {
                throw new StoreExistsException("path " + path + " lies inside the store " + relativePath(p)
                        + " in object storage");
            }
        }
    }

    /** After a store was created, closed or uploaded: listings and (object storage) cached HEADs are read again. */
    private void refreshCatalogs() {
        catalog.refresh();
        if (rootCatalog != catalog) {
            rootCatalog.refresh();
        }
        spool.uploaded();
    }

    /** True when stores are written through the spool folder into object storage. */
    boolean spooling() {
        return spool.enabled();
    }

    /**
     * At start on an object-storage root ({@link IngestRecovery}): every store left in the spool folder
     * (a killed server's, with {@code .lock} and a journal, or one whose upload failed at close) is
     * recovered, closed, uploaded (only what is missing) and removed from the spool, under the store's
     * lease in the bucket (released after the upload). A spool whose lease another live owner holds is
     * left for a later start.
     */
    void finishSpools() {
        for (StoreEntry e : catalog.list()) {
            StoreLease lease;
            try {
                lease = spool.lease(e.path());
            } catch (StoreLockedException ex) {
                LOG.info("spooled store {} is not finished now (kept in {}): {}", e.id(), spool.dir(), ex.getMessage());
                continue;
            } catch (ObjectLeasesUnavailableException ex) {
                LOG.warn("spooled stores are not finished (kept in {}): {}", spool.dir(), ex.getMessage());
                return;
            }
            try {
                StoreTransfer.Result r = SpooledStoreWriter.finish(e.dir(), spool.destination(e.path()), spool.transfer(),
                        lease);
                LOG.info("finished spooled store {}: {} files, {} uploaded now, to {}", e.id(), r.files(), r.copied(),
                        r.store());
            } catch (IOException | RuntimeException ex) {
                LOG.warn("cannot finish spooled store {} (kept in {}): {}", e.id(), spool.dir(), ex.getMessage());
            }
            registry.invalidate(e.id());
        }
        refreshCatalogs();
    }

    // ---- lookup ----

    /**
     * The open session of a store; a store left open by a killed server is recovered first.
     *
     * @throws StoreNotInRootException when there is no such store
     * @throws StoreClosedException    when the store exists but is closed
     * @throws StoreLockedException    when another process holds it
     */
    public WriterSession session(String id) {
        checkNotStopping();
        WriterSession s = open.get(id);
        if (s != null && !s.isClosed() && s.leaseLost()) {
            dropLost(s); // another process took the store over: look at it afresh (409 while it holds it)
            s = null;
        }
        if (s != null && !s.isClosed()) {
            return s;
        }
        StoreEntry entry;
        try {
            entry = catalog.find(id);
        } catch (StoreNotInRootException e) {
            if (spool.enabled() && inObjectStorage(id)) {
                throw new StoreClosedException(id);
            }
            throw e;
        }
        if (!StoreLayout.isBeingWritten(entry.dir())) {
            throw new StoreClosedException(id);
        }
        synchronized (this) {
            s = open.get(id);
            if (s != null && !s.isClosed()) {
                return s;
            }
            s = recover(entry.id(), entry.dir());
            return s;
        }
    }

    /** The open session of a store, or null (no recovery attempted). */
    public WriterSession find(String id) {
        WriterSession s = open.get(id);
        return s == null || s.isClosed() ? null : s;
    }

    public Collection<WriterSession> openSessions() {
        return List.copyOf(open.values());
    }

    /** Closes a store: finishes its chunk and index, removes {@code .lock}. A closed store: its summary (idempotent). */
    public StoreSummary close(String id) {
        WriterSession s;
        try {
            s = session(id);
        } catch (StoreClosedException e) {
            try (StoreRegistry.Lease lease = registry.lease(id)) {
                return StoreSummary.of(lease.entry().id(), lease.entry().path(), lease.store());
            }
        }
        s.close();
        open.remove(id, s);
        afterClose(s);
        return StoreSummary.of(s, false);
    }

    void afterClose(WriterSession s) {
        open.remove(s.id(), s);
        registry.invalidate(s.id());
        refreshCatalogs();
        LOG.info("closed store {} with {} frames", s.id(), s.frameCount());
    }

    // ---- replicas ----

    /**
     * Hands over the stores nobody streamed into for {@code idle} ({@link WriterSession#detachIfIdle}: chunk
     * and index finished, lease released, {@code .lock} kept), and drops sessions whose lease was lost, so
     * that the replica the load balancer now sends a store to can continue it at once. Returns how many
     * stores were handed over.
     */
    public int releaseIdle(java.time.Duration idle) {
        int n = 0;
        for (WriterSession s : List.copyOf(open.values())) {
            if (s.isClosed()) {
                continue;
            }
            if (s.leaseLost()) {
                dropLost(s);
                continue;
            }
            try {
                if (s.detachIfIdle(idle.toNanos())) {
                    open.remove(s.id(), s);
                    registry.invalidate(s.id());
                    catalog.refresh();
                    LOG.info("handed over store {} ({} frames): idle for {}; any replica continues it", s.id(),
                            s.frameCount(), idle);
                    n++;
                }
            } catch (ImgStoreException e) {
                open.remove(s.id(), s);
                LOG.warn("handing over idle store {} failed: {}", s.id(), e.getMessage());
            }
        }
        return n;
    }

    private void dropLost(WriterSession s) {
        if (open.remove(s.id(), s)) {
            try {
                s.forceClose(); // the writer writes nothing: it only lets its thread go
            } catch (ImgStoreException | StoreClosedException e) {
                // lost: expected
            }
            registry.invalidate(s.id());
            LOG.warn("store {}: this replica lost its writer lease; another process writes it now", s.id());
        }
    }

    // ---- recovery ----

    /**
     * A writer reopening a store reads and rewrites its files (journals, indexes, extra data): none
     * may be a link leading outside the root, or recovery would write there.
     *
     * @throws io.imgstore.format.FileOutsideRootException when one is
     */
    private void checkConfined(Path dir) {
        Path realRoot = catalog.realRoot();
        try (var files = Files.walk(dir, 2)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isSymbolicLink(p)) {
                    Path real;
                    try {
                        real = p.toRealPath();
                    } catch (IOException dangling) {
                        real = null;
                    }
                    if (real == null || !real.startsWith(realRoot)) {
                        throw new io.imgstore.format.FileOutsideRootException(dir.relativize(p)
                                + " leads outside the store root (symbolic link); the store is not reopened for writing");
                    }
                }
            }
        } catch (IOException e) {
            throw new io.imgstore.format.ImgStoreException("cannot check store folder: " + e.getMessage(), e);
        }
    }

    private WriterSession recover(String id, Path dir) {
        if (heldElsewhere(dir)) {
            throw new StoreLockedException("store " + id + " is held open by another process");
        }
        checkConfined(dir);
        WriterSession s = reopenSession(id, dir);
        open.put(id, s);
        registry.invalidate(id);
        LOG.info("recovered store {}: {} frames, kept open for continuation", id, s.frameCount());
        return s;
    }

    /** True when another process holds the store's {@code .lock} (an flock), so it is not ours to recover. */
    private static boolean heldElsewhere(Path dir) {
        Path lock = StoreLayout.lockFile(dir);
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }

    /** Recovers a store a killed server left open ({@code .lock} present): see {@link IngestRecovery}. */
    synchronized WriterSession recoverAtStart(StoreEntry e) {
        return recover(e.id(), e.dir());
    }

    /** Reopens a store a graceful shutdown closed, for appending: see {@link IngestRecovery}. */
    synchronized WriterSession reopen(StoreEntry e) {
        checkConfined(e.dir());
        WriterSession s = reopenSession(e.id(), e.dir()); // a closed store: reopened for appending
        open.put(e.id(), s);
        registry.invalidate(e.id());
        LOG.info("reopened store {} ({} frames) for continuation after a restart", e.id(), s.frameCount());
        return s;
    }

    ReopenList reopenList() {
        return reopenList;
    }

    // ---- shutdown ----

    private void checkNotStopping() {
        if (stopping) {
            throw new ShuttingDownException("the server is stopping; retry after its restart");
        }
    }

    public boolean stopping() {
        return stopping;
    }

    /**
     * Shutdown, first step ({@link IngestShutdown}): no new store, stream or frame is taken; streams in
     * progress end at their next frame, after their queued frames are written.
     */
    void beginShutdown() {
        stopping = true;
        for (WriterSession s : open.values()) {
            s.stopStreams();
        }
    }

    /** Waits until no stream holds a store, or until the deadline ({@link System#nanoTime}); true when none does. */
    boolean awaitStreamsEnded(long deadlineNanos) throws InterruptedException {
        while (true) {
            boolean any = false;
            for (WriterSession s : open.values()) {
                any |= s.streaming();
            }
            if (!any) {
                return true;
            }
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    /**
     * Shutdown, last step: closes every open store cleanly (chunk finished, index written, {@code .lock}
     * removed) and lists them in the {@link ReopenList} so the next start reopens them. Idempotent.
     */
    @PreDestroy
    public void shutdown() {
        stopping = true;
        List<String> closed = new ArrayList<>();
        for (WriterSession s : open.values()) {
            try {
                s.forceClose();
                closed.add(s.path());
            } catch (ImgStoreException | StoreClosedException e) {
                LOG.warn("closing store {} at shutdown failed: {}", s.id(), e.getMessage());
            }
        }
        open.clear();
        if (!closed.isEmpty() && props.recoverOnStart() && !spool.enabled()) { // spooled: closed = uploaded
            reopenList.write(closed);
        }
        if (!closed.isEmpty()) {
            LOG.info("closed {} open store(s) at shutdown{}: {}", closed.size(),
                    props.recoverOnStart() ? " (reopened for continuation on the next start)" : "", closed);
        }
    }
}
