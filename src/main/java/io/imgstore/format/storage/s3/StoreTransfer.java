package io.imgstore.format.storage.s3;

import io.imgstore.format.StoreLayout;
import io.imgstore.format.StoreLockedException;
import io.imgstore.format.StoreNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Copies a whole store between a local folder and object storage: {@link #push} (folder to
 * {@code s3://bucket/prefix/NAME}) and {@link #pull} ({@code s3://bucket/prefix/NAME} to a folder).
 *
 * <ul>
 *   <li><b>Order.</b> Chunk and frame files first, then indexes (and extra data, journals), and
 *       {@code metadata.yaml} last, so a reader that finds the metadata finds every file it names.</li>
 *   <li><b>Checksums.</b> Each object carries the SHA-256 of its bytes as user metadata
 *       ({@code x-amz-meta-}{@value #SHA256_METADATA}, lower-case hex). Push computes it locally, sends
 *       {@code Content-MD5} with every PUT and part (the server refuses a body that arrived
 *       different), and checks after the upload (HEAD) that size and checksum are what it sent;
 *       pull hashes what it receives and keeps the file only when the digest matches.</li>
 *   <li><b>Resumable.</b> An object (push) or local file (pull) whose size and SHA-256 already match
 *       is skipped; everything else is copied again.</li>
 *   <li><b>Atomic files.</b> Pull writes each object to a temporary file next to its target and
 *       moves it in place only after the checksum matched; a failure deletes the temporary file.</li>
 *   <li><b>Hostile keys.</b> Pull checks every listed key before it writes anything: a key with an
 *       empty, {@code .} or {@code ..} segment, a control character or a backslash is refused, and
 *       every file must resolve inside the target folder (also through symbolic links already
 *       there).</li>
 *   <li><b>Writers.</b> Push refuses a store whose {@code .lock} is held by a writer, and holds a
 *       shared lock on it while it copies so that no writer opens the store meanwhile. The
 *       {@code .lock} file and the lease files are never copied ({@link StoreLayout#isWriterState}).</li>
 * </ul>
 *
 * Uploads are written here rather than with {@link S3Uploads}, which cannot attach user metadata or
 * {@code Content-MD5} yet; the multipart scheme is the same (low-level multipart API, each part in
 * memory so the SDK can retry it, abort on failure).
 */
public final class StoreTransfer {

    /** The user-metadata name of an object's SHA-256 (the header is {@code x-amz-meta-imgstore-sha256}). */
    public static final String SHA256_METADATA = "imgstore-sha256";

    /** Suffix of pull's temporary files ({@code .NAME.imgstore-pull}); keys ending with it are refused. */
    public static final String PART_SUFFIX = ".imgstore-pull";

    /** Most files copied at the same time. */
    public static final int MAX_JOBS = 64;

    private static final int BUFFER = 1 << 20;
    private static final int MAX_PARTS = 10_000;

    /** What happened (or would happen) to one file. */
    public enum Action {
        /** Copied (uploaded by push, downloaded by pull). */
        COPIED,
        /** Already there with the same size and checksum. */
        UNCHANGED,
        /** Would be copied ({@link Options#dryRun}). */
        WOULD_COPY
    }

    /**
     * @param multipartThreshold files above this size are uploaded in parts
     * @param partSize size of a part (5 MiB .. 1 GiB; more when the file needs over 10,000 parts)
     * @param maxFiles most files of a store (bounds the listing held in memory)
     * @param dryRun compare only, copy nothing
     * @param allowUnverified pull objects that carry no checksum (uploaded by another tool), checking
     *        only their size
     * @param jobs files copied at the same time (1 .. {@value StoreTransfer#MAX_JOBS}; each multipart
     *        upload holds one part in memory)
     */
    public record Options(long multipartThreshold, long partSize, int maxFiles, boolean dryRun,
            boolean allowUnverified, int jobs) {

        public Options {
            if (partSize < S3Uploads.MIN_PART_SIZE || partSize > (1L << 30)) {
                throw new IllegalArgumentException("part size must be between 5 MiB and 1 GiB");
            }
            if (multipartThreshold < partSize) {
                throw new IllegalArgumentException("multipart threshold must be at least the part size");
            }
            if (maxFiles < 1) {
                throw new IllegalArgumentException("maxFiles must be positive");
            }
            if (jobs < 1 || jobs > MAX_JOBS) {
                throw new IllegalArgumentException("jobs must be between 1 and " + MAX_JOBS);
            }
        }

        /** Multipart above 64 MiB in parts of 16 MiB, at most 5,000,000 files, copying, verified, 4 at a time. */
        public static Options defaults() {
            return new Options(64L << 20, 16L << 20, 5_000_000, false, false, 4);
        }

        public Options withJobs(int n) {
            return new Options(multipartThreshold, partSize, maxFiles, dryRun, allowUnverified, n);
        }

        public Options withMultipart(long threshold, long part) {
            return new Options(threshold, part, maxFiles, dryRun, allowUnverified, jobs);
        }

        public Options withMaxFiles(int max) {
            return new Options(multipartThreshold, partSize, max, dryRun, allowUnverified, jobs);
        }

        public Options withDryRun(boolean dry) {
            return new Options(multipartThreshold, partSize, maxFiles, dry, allowUnverified, jobs);
        }

        public Options withAllowUnverified(boolean allow) {
            return new Options(multipartThreshold, partSize, maxFiles, dryRun, allow, jobs);
        }
    }

    /** Progress callbacks; with {@link Options#jobs} above 1 they come from several threads at once. */
    public interface Listener {

        /** The plan: how many files and bytes the store has. */
        default void planned(int files, long bytes) {
        }

        /** {@code bytes} more bytes were transferred (or found unchanged). */
        default void bytes(long bytes) {
        }

        /** One file is done. */
        default void file(String relative, long size, Action action) {
        }
    }

    /**
     * What a transfer did.
     *
     * @param store where the store is now (the object-storage location or the local folder)
     * @param files files of the store
     * @param copied files copied (or that would be, for a dry run)
     * @param unchanged files found with the same size and checksum
     * @param bytesCopied bytes of the copied files
     * @param bytesTotal bytes of all files
     * @param extraObjects push: objects under the store's key prefix that the local store does not have
     *        (left in place; a stale chunk of an earlier store under the same name, say); pull: 0
     */
    public record Result(String store, int files, int copied, int unchanged, long bytesCopied, long bytesTotal,
            int extraObjects) {
    }

    /** A file of the store: its '/'-separated path relative to the store, and its size. */
    private record Entry(String relative, long size, String etag) {
    }

    private final S3Client client;
    private final Options options;

    public StoreTransfer(S3Client client, Options options) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
    }

    // ------------------------------------------------------------------ push

    /**
     * Uploads the store in {@code store} (its folder or its {@code metadata.yaml}) to
     * {@code target/name}.
     *
     * @param name the store's name under {@code target}; null for the folder's name
     * @throws StoreNotFoundException when the folder holds no {@code metadata.yaml}
     * @throws StoreLockedException when a writer has the store open
     */
    public Result push(Path store, S3Location target, String name, Listener listener) throws IOException {
        Path dir = storeDir(store);
        Path folderName = dir.toAbsolutePath().normalize().getFileName();
        if (name == null && folderName == null) {
            throw new IllegalArgumentException("the store folder has no name; give one with --as NAME");
        }
        String storeName = name != null ? name : folderName.toString();
        checkName(storeName);
        S3Location dest = new S3Location(target.bucket(), target.key(storeName));
        try (LockCheck ignored = LockCheck.refuseHeld(dir, "push it after the writer closed it")) {
            List<Entry> files = localFiles(dir);
            listener.planned(files.size(), files.stream().mapToLong(Entry::size).sum());
            Map<String, Long> remote = listing(dest);
            Counts counts = new Counts();
            forEachInRanks(files, e -> {
                Path file = dir.resolve(e.relative());
                Digests d = Digests.of(file);
                if (d.size() != e.size()) {
                    throw new IOException(file + " changed size while it was pushed");
                }
                Long remoteSize = remote.get(e.relative());
                boolean same = remoteSize != null && remoteSize == e.size()
                        && d.sha256().equals(remoteSha256(dest, e.relative()));
                copyUnlessSame(e, same, counts, listener, () -> {
                    upload(dest, e.relative(), file, d, listener);
                    verifyUpload(dest, e.relative(), d);
                });
            });
            Set<String> local = new HashSet<>();
            files.forEach(e -> local.add(e.relative()));
            int extra = (int) remote.keySet().stream().filter(k -> !local.contains(k)).count();
            return counts.result(dest.toString(), files, extra);
        }
    }

    /**
     * Uploads one file of a store to {@code dest/relative} the way {@link #push} does (SHA-256 user
     * metadata, {@code Content-MD5}, multipart above the threshold, HEAD check afterwards), unless an
     * object with the same size and checksum is already there. Unlike push it takes no lock: it is for
     * the writer itself ({@link SpooledStoreWriter} uploads each finished chunk while it writes the next),
     * which must not change the file meanwhile.
     *
     * @param dest the store's own location ({@code s3://bucket/prefix/NAME})
     * @param relative the file's '/'-separated path inside {@code dir}
     */
    public Action putFile(Path dir, S3Location dest, String relative) throws IOException {
        if (relative == null || relative.isEmpty()) {
            throw new IllegalArgumentException("no file named");
        }
        dest.key(relative); // refuses empty, '.', '..' and unprintable segments before any file is touched
        Path file = dir;
        for (String segment : relative.split("/", -1)) {
            file = file.resolve(segment);
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException("not a regular file in the store (symbolic link or special file): " + file);
        }
        Digests d = Digests.of(file);
        HeadObjectResponse h = head(dest, relative);
        if (h != null && h.contentLength() != null && h.contentLength() == d.size()
                && d.sha256().equals(h.metadata().get(SHA256_METADATA))) {
            return Action.UNCHANGED;
        }
        if (options.dryRun()) {
            return Action.WOULD_COPY;
        }
        upload(dest, relative, file, d, new Listener() { });
        verifyUpload(dest, relative, d);
        return Action.COPIED;
    }

    /** The store folder of a folder or its metadata.yaml; refuses a folder without metadata.yaml. */
    static Path storeDir(Path path) {
        Path dir = path.getFileName() != null && path.getFileName().toString().equals(StoreLayout.METADATA_FILE)
                && Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : path;
        if (!Files.isRegularFile(StoreLayout.metadataFile(dir))) {
            throw new StoreNotFoundException("no store at " + path + " (no " + StoreLayout.METADATA_FILE + ")");
        }
        return dir;
    }

    /**
     * The store's files in upload order (data, then indexes, then metadata.yaml), '/'-separated;
     * refuses symbolic links and names that cannot be keys.
     */
    private List<Entry> localFiles(Path dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    continue;
                }
                Path rel = dir.relativize(p);
                String relative = relative(rel);
                if (a.isSymbolicLink() || !a.isRegularFile()) {
                    throw new IOException("not a regular file in the store (symbolic link or special file): " + p);
                }
                if (StoreLayout.isWriterState(relative)) {
                    continue;
                }
                for (String segment : relative.split("/", -1)) {
                    if (!S3Location.validSegment(segment)) {
                        throw new IOException("file name cannot be an S3 key: " + S3Location.printable(relative));
                    }
                }
                if (out.size() >= options.maxFiles()) {
                    throw new IOException("more than " + options.maxFiles() + " files in " + dir);
                }
                out.add(new Entry(relative, a.size(), null));
            }
        }
        out.sort(UPLOAD_ORDER);
        return out;
    }

    private static String relative(Path rel) {
        StringBuilder b = new StringBuilder();
        for (Path segment : rel) {
            b.append(b.isEmpty() ? "" : "/").append(segment);
        }
        return b.toString();
    }

    /** 0: chunk and frame files and anything else, 1: indexes, journals, extra data, 2: metadata.yaml. */
    static int rank(String relative) {
        if (relative.equals(StoreLayout.METADATA_FILE)) {
            return 2;
        }
        String n = relative.substring(relative.lastIndexOf('/') + 1);
        if (n.endsWith(StoreLayout.NPZ_SUFFIX) || n.endsWith(StoreLayout.JOURNAL_SUFFIX)
                || n.endsWith(StoreLayout.EXTRA_JSON_SUFFIX) || n.endsWith(StoreLayout.YAML_SUFFIX)
                || StoreLayout.MOTIF_EXTRA_DATA.matcher(n).matches()) {
            return 1;
        }
        return 0;
    }

    private static final Comparator<Entry> UPLOAD_ORDER =
            Comparator.comparingInt((Entry e) -> rank(e.relative())).thenComparing(Entry::relative);

    private void upload(S3Location dest, String relative, Path file, Digests d, Listener listener) throws IOException {
        String key = dest.key(relative);
        Map<String, String> metadata = Map.of(SHA256_METADATA, d.sha256());
        if (d.size() <= options.multipartThreshold()) {
            try {
                client.putObject(PutObjectRequest.builder().bucket(dest.bucket()).key(key).metadata(metadata)
                        .contentLength(d.size()).contentMD5(Base64.getEncoder().encodeToString(d.md5())).build(),
                        RequestBody.fromFile(file));
            } catch (SdkException e) {
                throw S3StoreFiles.mapped(file, "PUT of " + key, e);
            }
            listener.bytes(d.size());
            return;
        }
        long part = Math.max(options.partSize(), (d.size() + MAX_PARTS - 1) / MAX_PARTS);
        if (part > Integer.MAX_VALUE - 16) {
            throw new IOException(file + " is too large for a multipart upload");
        }
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(b -> b.bucket(dest.bucket()).key(key).metadata(metadata))
                    .uploadId();
        } catch (SdkException e) {
            throw S3StoreFiles.mapped(file, "CreateMultipartUpload of " + key, e);
        }
        boolean done = false;
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < d.size(); offset += part, number++) {
                int n = (int) Math.min(part, d.size() - offset);
                byte[] bytes = in.readNBytes(n);
                if (bytes.length != n) {
                    throw new IOException(file + " shrank while it was pushed");
                }
                sha.update(bytes);
                String md5 = Base64.getEncoder().encodeToString(md5().digest(bytes));
                int partNumber = number;
                String etag = client.uploadPart(b -> b.bucket(dest.bucket()).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) n).contentMD5(md5),
                        RequestBody.fromBytes(bytes)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                listener.bytes(n);
            }
            if (in.read() >= 0 || !HexFormat.of().formatHex(sha.digest()).equals(d.sha256())) {
                throw new IOException(file + " changed while it was pushed");
            }
            client.completeMultipartUpload(b -> b.bucket(dest.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            done = true;
        } catch (SdkException e) {
            throw S3StoreFiles.mapped(file, "multipart upload of " + key, e);
        } finally {
            if (!done) {
                try {
                    client.abortMultipartUpload(b -> b.bucket(dest.bucket()).key(key).uploadId(uploadId));
                } catch (SdkException ignored) {
                    // failed already; an unaborted upload is removed by the bucket's lifecycle rules
                }
            }
        }
    }

    /** After an upload: the object has the file's size and checksum (HEAD). */
    private void verifyUpload(S3Location dest, String relative, Digests d) throws IOException {
        HeadObjectResponse h = head(dest, relative);
        if (h == null) {
            throw new IOException(dest.key(relative) + ": not found after its upload");
        }
        String sha = h.metadata().get(SHA256_METADATA);
        if (h.contentLength() == null || h.contentLength() != d.size() || !d.sha256().equals(sha)) {
            throw new IOException(dest.key(relative) + ": after the upload the server reports " + h.contentLength()
                    + " bytes and SHA-256 " + sha + ", expected " + d.size() + " bytes and " + d.sha256());
        }
    }

    // ------------------------------------------------------------------ pull

    /**
     * Downloads the store at {@code source} (its last prefix segment is the store's name) into
     * {@code parent/name}.
     *
     * @param name the local folder's name; null for the store's name
     * @throws StoreNotFoundException when there is no {@code metadata.yaml} under {@code source}
     */
    public Result pull(S3Location source, Path parent, String name, Listener listener) throws IOException {
        if (source.prefix().isEmpty()) {
            throw new IllegalArgumentException("the S3 location must name a store: s3://bucket/prefix/STORE");
        }
        String storeName = name != null ? name : source.prefix().substring(source.prefix().lastIndexOf('/') + 1);
        checkName(storeName);
        List<Entry> files = remoteFiles(source);
        listener.planned(files.size(), files.stream().mapToLong(Entry::size).sum());
        Path dir = parent.resolve(storeName);
        if (!options.dryRun()) {
            Files.createDirectories(dir);
        }
        Path root = options.dryRun() ? null : dir.toRealPath();
        Path base = root != null ? root : dir;
        Counts counts = new Counts();
        try (LockCheck ignored = LockCheck.refuseHeld(dir, "pull into it after the writer closed it")) {
            pullFiles(source, files, dir, root, base, counts, listener);
        }
        return counts.result(dir.toString(), files, 0);
    }

    private void pullFiles(S3Location source, List<Entry> files, Path dir, Path root, Path base, Counts counts,
            Listener listener) throws IOException {
        forEachInRanks(files, e -> {
            Path target = base.resolve(e.relative());
            if (root != null) {
                createParents(root, e.relative(), source.key(e.relative()), dir);
            }
            copyUnlessSame(e, sameLocalFile(source, e, target), counts, listener,
                    () -> download(source, e, target, listener));
        });
    }

    private interface Copy {
        void run() throws IOException;
    }

    /**
     * One file of a push or pull, the same way in both directions: already the same at the target
     * (counted as transferred bytes, {@link Action#UNCHANGED}), else counted as copied and, unless
     * this is a dry run ({@link Action#WOULD_COPY}), copied ({@link Action#COPIED}).
     */
    private void copyUnlessSame(Entry e, boolean same, Counts counts, Listener listener, Copy copy)
            throws IOException {
        if (same) {
            listener.bytes(e.size());
            listener.file(e.relative(), e.size(), Action.UNCHANGED);
            return;
        }
        counts.copied(e.size());
        if (options.dryRun()) {
            listener.file(e.relative(), e.size(), Action.WOULD_COPY);
            return;
        }
        copy.run();
        listener.file(e.relative(), e.size(), Action.COPIED);
    }

    /** Files copied and their bytes, counted from several threads. */
    private static final class Counts {
        private final AtomicInteger copied = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();

        void copied(long size) {
            copied.incrementAndGet();
            bytes.addAndGet(size);
        }

        Result result(String store, List<Entry> files, int extra) {
            long total = files.stream().mapToLong(Entry::size).sum();
            return new Result(store, files.size(), copied.get(), files.size() - copied.get(), bytes.get(), total,
                    extra);
        }
    }

    private interface EntryTask {
        void run(Entry e) throws IOException;
    }

    /**
     * Runs the task for every file, {@link Options#jobs} at a time, one {@link #rank} after the
     * other: every chunk file is done before the first index starts, every index before
     * {@code metadata.yaml}. The first failure stops the rest (running copies are interrupted and
     * awaited) and is thrown; later ranks never start.
     */
    private void forEachInRanks(List<Entry> files, EntryTask task) throws IOException {
        int from = 0;
        while (from < files.size()) {
            int rank = rank(files.get(from).relative());
            int to = from;
            while (to < files.size() && rank(files.get(to).relative()) == rank) {
                to++;
            }
            forEach(files.subList(from, to), task);
            from = to;
        }
    }

    private void forEach(List<Entry> entries, EntryTask task) throws IOException {
        if (options.jobs() == 1 || entries.size() == 1) {
            for (Entry e : entries) {
                task.run(e);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(options.jobs(), r -> {
            Thread t = new Thread(r, "imgstore-transfer");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
        Iterator<Entry> it = entries.iterator();
        int inFlight = 0;
        try {
            while (it.hasNext() || inFlight > 0) {
                // a bounded number of tasks in flight, not one future per file of a big store
                while (inFlight < 2 * options.jobs() && it.hasNext()) {
                    Entry e = it.next();
                    done.submit(() -> {
                        task.run(e);
                        return null;
                    });
                    inFlight++;
                }
                Future<Void> f = done.take();
                inFlight--;
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("transfer interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        } finally {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                    throw new IOException("transfers did not stop within 5 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Creates the folders of {@code relative} below {@code root} one by one, refusing any that is a
     * symbolic link or not a folder: {@code Files.createDirectories} would follow a link that is
     * already there and create folders outside the target before a check could see it.
     */
    private static void createParents(Path root, String relative, String key, Path dir) throws IOException {
        String[] segments = relative.split("/", -1);
        Path p = root;
        for (int i = 0; i < segments.length - 1; i++) {
            p = p.resolve(segments[i]);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException ex) {
                try {
                    Files.createDirectory(p);
                } catch (FileAlreadyExistsException raced) {
                    // created meanwhile: checked below
                }
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
            if (a.isSymbolicLink() || !a.isDirectory()) {
                throw new IOException("refusing key " + S3Location.printable(key) + ": " + p
                        + " is a symbolic link or not a folder (a way outside " + dir + ")");
            }
        }
    }

    /** The objects under {@code source/}, checked, in download order; refuses hostile keys. */
    private List<Entry> remoteFiles(S3Location source) throws IOException {
        List<Entry> out = new ArrayList<>();
        String base = source.prefix() + "/";
        boolean[] metadata = {false};
        forEachListed(source, base, o -> {
            String key = o.key();
            if (key == null || !key.startsWith(base)) {
                throw new IOException("refusing key " + S3Location.printable(String.valueOf(key))
                        + ": the server listed it for prefix " + S3Location.printable(base));
            }
            String relative = key.substring(base.length());
            if (relative.endsWith("/") && (o.size() == null || o.size() == 0)) {
                return; // a "folder" marker object of S3 consoles
            }
            checkRelativeKey(key, relative);
            if (StoreLayout.isWriterState(relative)) {
                return;
            }
            metadata[0] |= relative.equals(StoreLayout.METADATA_FILE);
            if (out.size() >= options.maxFiles()) {
                throw new IOException("more than " + options.maxFiles() + " objects under " + source);
            }
            long size = o.size() == null ? -1 : o.size();
            if (size < 0) {
                throw new IOException(S3Location.printable(key) + ": the listing gives no size");
            }
            out.add(new Entry(relative, size, o.eTag()));
        });
        if (!metadata[0]) {
            throw new StoreNotFoundException("no store at " + source + " (no " + StoreLayout.METADATA_FILE + ")");
        }
        out.sort(UPLOAD_ORDER);
        return out;
    }

    /** A listed key below a store: non-empty segments, no '.', '..', control characters, backslash. */
    static void checkRelativeKey(String key, String relative) throws IOException {
        for (String segment : relative.split("/", -1)) {
            if (!S3Location.validSegment(segment) || segment.indexOf(':') >= 0) {
                throw new IOException("refusing key " + S3Location.printable(key)
                        + ": a file name must not be empty, '.', '..' or hold '/', '\\', ':', '?', '#' or control characters");
            }
            if (segment.endsWith(PART_SUFFIX)) {
                throw new IOException("refusing key " + S3Location.printable(key) + ": names ending with "
                        + PART_SUFFIX + " are pull's temporary files");
            }
        }
    }

    private boolean sameLocalFile(S3Location source, Entry e, Path target) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException ex) {
            return false;
        }
        if (!a.isRegularFile() || a.size() != e.size()) {
            return false;
        }
        HeadObjectResponse h = head(source, e.relative());
        String sha = h == null ? null : h.metadata().get(SHA256_METADATA);
        if (sha == null) {
            return false;
        }
        return Digests.of(target).sha256().equals(sha);
    }

    private void download(S3Location source, Entry e, Path target, Listener listener) throws IOException {
        String key = source.key(e.relative());
        // a fixed name: a pull killed half-way (kill -9, power) leaves it, and the next pull reuses it
        Path tmp = target.resolveSibling("." + target.getFileName() + PART_SUFFIX);
        boolean moved = false;
        try {
            GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(source.bucket()).key(key);
            if (e.etag() != null) {
                req.ifMatch(e.etag());
            }
            MessageDigest sha = sha256();
            long n = 0;
            String expected;
            try (ResponseInputStream<GetObjectResponse> in = client.getObject(req.build());
                    OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                GetObjectResponse r = in.response();
                expected = r.metadata().get(SHA256_METADATA);
                if (expected == null && !options.allowUnverified()) {
                    in.abort();
                    throw new IOException(S3Location.printable(key) + " carries no " + SHA256_METADATA
                            + " checksum (not uploaded by imgstore push?); --allow-unverified pulls it checking the size only");
                }
                if (r.contentLength() == null || r.contentLength() != e.size()) {
                    in.abort();
                    throw new IOException(S3Location.printable(key) + ": listed with " + e.size()
                            + " bytes, the GET sends " + r.contentLength());
                }
                byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, e.size()))];
                int k;
                while ((k = in.read(buf)) > 0) {
                    n += k;
                    if (n > e.size()) {
                        in.abort();
                        throw new IOException(S3Location.printable(key) + ": more bytes than its " + e.size());
                    }
                    sha.update(buf, 0, k);
                    out.write(buf, 0, k);
                    listener.bytes(k);
                }
            } catch (SdkException ex) {
                throw S3StoreFiles.mapped(target, "GET of " + key, ex);
            }
            if (n != e.size()) {
                throw new IOException(S3Location.printable(key) + ": received " + n + " of " + e.size() + " bytes");
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (expected != null && !expected.equalsIgnoreCase(actual)) {
                throw new IOException("checksum mismatch for " + S3Location.printable(key) + ": SHA-256 " + actual
                        + ", its " + SHA256_METADATA + " says " + S3Location.printable(expected));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException ex) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    // ------------------------------------------------------------------ S3 helpers

    /** Keys below {@code dest/} (relative to it) with their sizes. */
    private Map<String, Long> listing(S3Location dest) throws IOException {
        Map<String, Long> out = new HashMap<>();
        String base = dest.prefix() + "/";
        forEachListed(dest, base, o -> {
            if (o.key() != null && o.key().startsWith(base) && o.size() != null) {
                if (out.size() >= options.maxFiles()) {
                    throw new IOException("more than " + options.maxFiles() + " objects under " + dest);
                }
                out.put(o.key().substring(base.length()), o.size());
            }
        });
        return out;
    }

    /** What {@link #forEachListed} does with one listed object. */
    private interface ListedObject {
        void accept(S3Object o) throws IOException;
    }

    /**
     * Every object ListObjectsV2 lists under {@code base} in {@code loc}'s bucket, page by page (a
     * hand-written loop rather than the SDK's paginator so that a failed page is mapped here, as one
     * IOException naming the location); {@code each} may stop the listing by throwing.
     */
    private void forEachListed(S3Location loc, String base, ListedObject each) throws IOException {
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response r;
            try {
                r = client.listObjectsV2(b -> b.bucket(loc.bucket()).prefix(base).continuationToken(t));
            } catch (SdkException e) {
                throw S3StoreFiles.mapped(loc.anchor(), "ListObjectsV2", e);
            }
            for (S3Object o : r.contents()) {
                each.accept(o);
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null && !token.isEmpty());
    }

    private String remoteSha256(S3Location dest, String relative) throws IOException {
        HeadObjectResponse h = head(dest, relative);
        return h == null ? null : h.metadata().get(SHA256_METADATA);
    }

    /** HEAD of an object, null when there is none. */
    private HeadObjectResponse head(S3Location loc, String relative) throws IOException {
        String key = loc.key(relative);
        try {
            return client.headObject(b -> b.bucket(loc.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw S3StoreFiles.mapped(loc.anchor().resolve(relative), "HEAD", e);
        } catch (SdkException e) {
            throw S3StoreFiles.mapped(loc.anchor().resolve(relative), "HEAD", e);
        }
    }

    private static void checkName(String name) {
        if (name == null || !S3Location.validSegment(name) || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("invalid store name '" + S3Location.printable(String.valueOf(name))
                    + "' (one non-empty file name, not '.' or '..', without '/', '\\', ':', '?', '#')");
        }
    }

    // ------------------------------------------------------------------ checksums

    /** Size, SHA-256 (hex) and MD5 of a file, in one pass. */
    record Digests(long size, String sha256, byte[] md5) {

        static Digests of(Path file) throws IOException {
            MessageDigest sha = StoreTransfer.sha256();
            MessageDigest md5 = StoreTransfer.md5();
            long n = 0;
            byte[] buf = new byte[BUFFER];
            try (InputStream in = Files.newInputStream(file)) {
                int k;
                while ((k = in.read(buf)) > 0) {
                    sha.update(buf, 0, k);
                    md5.update(buf, 0, k);
                    n += k;
                }
            }
            return new Digests(n, HexFormat.of().formatHex(sha.digest()), md5.digest());
        }
    }

    static MessageDigest sha256() {
        return digest("SHA-256");
    }

    static MessageDigest md5() {
        return digest("MD5");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
        }
    }

    // ------------------------------------------------------------------ writer check

    /**
     * A shared OS lock on the store's {@code .lock} while a push runs: refused while a writer holds
     * it (another process: tryLock fails; this JVM: overlapping lock), and keeps writers out until
     * closed. A store without {@code .lock} has no writer.
     */
    private static final class LockCheck implements AutoCloseable {

        private final FileChannel channel;
        private final FileLock lock;

        private LockCheck(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static LockCheck refuseHeld(Path dir, String advice) throws IOException {
            Path lockFile = StoreLayout.lockFile(dir);
            FileChannel channel;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return new LockCheck(null, null);
            }
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                throw new StoreLockedException("store " + dir.getFileName() + " is open for writing (its "
                        + StoreLayout.LOCK_FILE + " is held); " + advice);
            }
            return new LockCheck(channel, lock);
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                try {
                    lock.release();
                } finally {
                    channel.close();
                }
            }
        }
    }
}
