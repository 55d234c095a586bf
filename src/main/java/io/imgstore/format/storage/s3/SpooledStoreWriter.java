package io.imgstore.format.storage.s3;

import io.imgstore.format.ImgStoreException;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.StoreLease;
import io.imgstore.format.StoreSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A store written to object storage through a local spool folder: the normal {@link ImgStoreWriter}
 * writes the store into {@code spoolStore} (a folder on local disk), and each chunk it finishes goes to
 * {@code s3://bucket/prefix/NAME} in the background while the next one is encoded.
 *
 * <ul>
 *   <li><b>What goes when.</b> When a chunk is finished (filled up, or adopted by
 *       {@link ImgStoreWriter#insertChunk}), its video file (or its frame files), then its index
 *       ({@code .npz}), then the {@code .extra.json} of the <em>previous</em> chunk (a chunk's extra
 *       data may still get the record of its last frame right after it is finished; it is final once
 *       the next chunk is) are uploaded, and after the first finished chunk also {@code metadata.yaml}
 *       (which the writer does not change afterwards), so that a reader of the bucket can open the store
 *       while it is written and sees every finished chunk whose index is there (data before index: an
 *       index never names a chunk that is not there yet). The open chunk stays on local disk.</li>
 *   <li><b>Uploader.</b> One thread per writer, fed by a queue of at most {@code maxQueuedChunks}
 *       finished chunks: encoding is not blocked by uploads, but when object storage is slower than the
 *       camera for that long, the writing thread waits for room in the queue (back-pressure) instead of
 *       filling the disk. Each file goes through {@link StoreTransfer#putFile} (SHA-256 object metadata,
 *       {@code Content-MD5}, multipart above the threshold, HEAD check after the upload). A failed
 *       background upload is counted ({@link #failedUploads()}) and retried at close.</li>
 *   <li><b>Close.</b> {@link #close()} closes the writer (last chunk, index, {@code .lock} removed),
 *       drops the queued uploads, waits for the one in flight, then pushes the whole spool folder with
 *       {@link StoreTransfer#push} (resumable: only what is missing or different goes; each object is
 *       checked by HEAD for size and SHA-256), and deletes the spool folder only when that succeeded.
 *       When it fails the folder stays and {@link #finish} completes it later.</li>
 *   <li><b>Crash.</b> A spool folder left by a killed process is a store with {@code .lock} and a
 *       journal: {@link #resume} (append) or {@link #finish} (close and upload) recovers it with
 *       {@link ImgStoreWriter#recover} first, so nothing the writer accepted (as far as the local
 *       recovery keeps it) is lost, and no object is uploaded twice under different names: the
 *       recovered store has exactly the files that a clean close would have, and the finished chunks
 *       already in the bucket are left as they are.</li>
 * </ul>
 *
 * <p><b>Lease.</b> With {@link #holdLease} the store's writer lease in the bucket ({@link S3LeaseFiles})
 * guards the uploads: nothing is uploaded once it is lost (another writer may own the store in the bucket
 * now; the spool folder is kept, closed, and not uploaded), and {@link #close()} releases it only after the
 * final push succeeded (a failed close abandons it: it expires by itself).
 *
 * <p>The spool folder needs room for the whole recording until close (finished chunks are kept
 * there: readers of a store being written and {@link ImgStoreWriter#recover} need them). Do not call
 * {@link ImgStoreWriter#empty()} on {@link #writer()}: chunks already uploaded would stay in the bucket.
 * Not thread-safe, like {@link ImgStoreWriter}: one thread writes.
 */
public final class SpooledStoreWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SpooledStoreWriter.class.getName());

    /** Finished chunks that may wait for the uploader before the writing thread waits too. */
    public static final int DEFAULT_MAX_QUEUED_CHUNKS = 4;

    private static final List<String> STOP = List.of();

    private final ImgStoreWriter writer;
    private final Path dir;
    private final StoreLayout layout;
    private final S3Location destination;
    private final StoreTransfer transfer;
    private final BlockingQueue<List<String>> queue;
    private final Thread uploader;
    private final AtomicInteger uploadedFiles = new AtomicInteger();
    private final AtomicInteger unchangedFiles = new AtomicInteger();
    private final AtomicInteger failedUploads = new AtomicInteger();
    private final Object idle = new Object();
    private volatile Exception lastFailure;
    private volatile boolean abandoned;
    private volatile StoreLease lease;
    private int pending; // batches queued or in flight, guarded by idle
    private boolean metadataQueued;
    private boolean closed;
    private StoreTransfer.Result result;

    private SpooledStoreWriter(ImgStoreWriter writer, S3Location destination, StoreTransfer transfer,
                               int maxQueuedChunks) {
        if (maxQueuedChunks < 1) {
            throw new IllegalArgumentException("maxQueuedChunks must be positive, got " + maxQueuedChunks);
        }
        if (destination.prefix().isEmpty()) {
            throw new IllegalArgumentException("the destination must name the store: s3://bucket/prefix/NAME");
        }
        this.writer = writer;
        this.dir = writer.path();
        this.layout = writer.layout();
        this.destination = destination;
        this.transfer = transfer;
        this.queue = new ArrayBlockingQueue<>(maxQueuedChunks);
        this.uploader = new Thread(this::uploadLoop, "spool-upload-" + dir.getFileName());
        this.uploader.setDaemon(true);
        this.uploader.start();
        writer.setChunkFinishedListener(this::chunkFinished);
    }

    /**
     * Creates a new store in the spool folder {@code spoolStore} whose chunks go to {@code destination}
     * (the store's own location, {@code s3://bucket/prefix/NAME}).
     */
    public static SpooledStoreWriter create(Path spoolStore, StoreSpec spec, S3Location destination,
                                            StoreTransfer transfer, int maxQueuedChunks) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(transfer, "transfer");
        ImgStoreWriter w = ImgStoreWriter.create(spoolStore, spec);
        try {
            return new SpooledStoreWriter(w, destination, transfer, maxQueuedChunks);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /**
     * Reopens a spool folder for appending (after a crash: {@link ImgStoreWriter#recover}; a cleanly
     * closed one that could not be uploaded is reopened as it is); the files already finished are queued
     * for upload at once, new frames go to a new chunk.
     */
    public static SpooledStoreWriter resume(Path spoolStore, S3Location destination, StoreTransfer transfer,
                                            int maxQueuedChunks) throws IOException {
        return reopen(spoolStore, destination, transfer, maxQueuedChunks, true);
    }

    private static SpooledStoreWriter reopen(Path spoolStore, S3Location destination, StoreTransfer transfer,
                                             int maxQueuedChunks, boolean uploadNow) throws IOException {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(transfer, "transfer");
        ImgStoreWriter w = ImgStoreWriter.recover(spoolStore);
        SpooledStoreWriter s;
        try {
            s = new SpooledStoreWriter(w, destination, transfer, maxQueuedChunks);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        s.metadataQueued = true;
        if (uploadNow) {
            try {
                s.enqueue(s.presentFiles());
            } catch (IOException | RuntimeException e) {
                s.abandonUploads();
                w.close();
                throw e;
            }
        }
        return s;
    }

    /**
     * {@link #finish(Path, S3Location, StoreTransfer)} under the store's writer lease, released after the
     * upload (abandoned when it fails or the lease was lost).
     */
    public static StoreTransfer.Result finish(Path spoolStore, S3Location destination, StoreTransfer transfer,
                                              StoreLease lease) throws IOException {
        Objects.requireNonNull(lease, "lease");
        try {
            lease.check();
            if (!Files.isRegularFile(StoreLayout.metadataFile(spoolStore), LinkOption.NOFOLLOW_LINKS)) {
                StoreTransfer.Result r = finish(spoolStore, destination, transfer);
                lease.close();
                return r;
            }
            SpooledStoreWriter s = reopen(spoolStore, destination, transfer, 1, false);
            s.holdLease(lease);
            s.close();
            return s.result();
        } catch (IOException | RuntimeException e) {
            lease.abandon();
            throw e;
        }
    }

    /**
     * Completes a spool folder left behind (killed process, or a close whose upload failed): recovers
     * the store, closes it, pushes what is missing and deletes the folder. A folder that never became a
     * store (no {@code metadata.yaml}: the process died while creating it, before any frame was
     * accepted) is deleted when it holds nothing but {@code .lock}.
     *
     * @return what the final push did (0 files for a folder that never became a store)
     * @throws ImgStoreException when the upload fails (the folder stays for the next attempt)
     */
    public static StoreTransfer.Result finish(Path spoolStore, S3Location destination, StoreTransfer transfer)
            throws IOException {
        if (!Files.isRegularFile(StoreLayout.metadataFile(spoolStore), LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(spoolStore)) {
                List<Path> files = s.toList();
                if (files.stream().allMatch(p -> p.getFileName().toString().equals(StoreLayout.LOCK_FILE))) {
                    deleteTree(spoolStore);
                    return new StoreTransfer.Result(destination.toString(), 0, 0, 0, 0, 0, 0);
                }
            }
            throw new ImgStoreException("spool folder " + spoolStore + " holds files but no "
                    + StoreLayout.METADATA_FILE + "; left as it is");
        }
        SpooledStoreWriter s = reopen(spoolStore, destination, transfer, 1, false);
        s.close();
        return s.result();
    }

    // ------------------------------------------------------------------ writing thread

    /**
     * The store's writer lease in the bucket, held by the caller: from now on nothing is uploaded once it is
     * lost, and {@link #close()} releases it after the final push (see the class comment).
     */
    public void holdLease(StoreLease lease) {
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    /** The writer of the spooled store: add frames and extra data through it; close through this class. */
    public ImgStoreWriter writer() {
        return writer;
    }

    /** The local spool folder of the store. */
    public Path spoolStore() {
        return dir;
    }

    /** Where the store goes: {@code s3://bucket/prefix/NAME}. */
    public S3Location destination() {
        return destination;
    }

    private void chunkFinished(int chunk) {
        List<String> batch = new ArrayList<>();
        try {
            if (layout.isVideo()) {
                addIfFile(batch, layout.videoChunkFile(chunk));
            } else {
                Path folder = layout.chunkFolder(chunk);
                List<Path> frames;
                try (Stream<Path> s = Files.list(folder)) {
                    frames = s.filter(p -> StoreTransfer.rank(relative(p)) == 0).sorted().toList();
                }
                for (Path p : frames) {
                    addIfFile(batch, p);
                }
            }
            addIfFile(batch, layout.npzIndex(chunk));
            if (chunk > 0) {
                addIfFile(batch, layout.extraJson(chunk - 1));
            }
            if (!metadataQueued) {
                batch.add(StoreLayout.METADATA_FILE);
                metadataQueued = true;
            }
        } catch (IOException e) {
            // the files stay in the spool; close pushes them
            failed(e);
            return;
        }
        enqueue(batch);
    }

    private void addIfFile(List<String> batch, Path p) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            batch.add(relative(p));
        }
    }

    /** Hands a batch to the uploader; waits while the queue is full (back-pressure). */
    private void enqueue(List<String> batch) {
        if (batch.isEmpty() || abandoned) {
            return;
        }
        synchronized (idle) {
            pending++;
        }
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done(); // not queued: the files stay in the spool, close pushes them
        }
    }

    /**
     * Waits until every finished chunk queued so far is uploaded (or its upload failed); for tests and
     * for callers that want the bucket up to date before they go on.
     */
    public void awaitUploads() throws InterruptedException {
        synchronized (idle) {
            while (pending > 0) {
                idle.wait();
            }
        }
    }

    /** Files uploaded in the background so far. */
    public int uploadedFiles() {
        return uploadedFiles.get();
    }

    /** Background uploads that found the object already there (size and SHA-256). */
    public int unchangedFiles() {
        return unchangedFiles.get();
    }

    /** Background uploads that failed (their files are pushed again at close). */
    public int failedUploads() {
        return failedUploads.get();
    }

    /** The last background failure, or null. */
    public Exception lastFailure() {
        return lastFailure;
    }

    /** What the final push did; null until {@link #close()} succeeded. */
    public StoreTransfer.Result result() {
        return result;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the writer, pushes everything that is not in the bucket yet (checked), and deletes the
     * spool folder. Idempotent once it succeeded.
     *
     * @throws ImgStoreException when the writer cannot close or the upload fails; the spool folder
     *         stays and {@link #finish} completes it (the service does so at its next start)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        StoreLease l = lease;
        try {
            writer.close();
        } catch (RuntimeException e) {
            stopUploader();
            if (l != null) {
                l.abandon();
            }
            throw e;
        }
        stopUploader();
        if (l != null && l.isLost()) {
            l.abandon();
            throw new ImgStoreException("the writer lease of " + destination + " was lost: another writer may own "
                    + "the store in the bucket now, so the spool folder " + dir + " is closed and kept, not uploaded");
        }
        try {
            S3Location parent = parentOf(destination);
            String name = nameOf(destination);
            result = transfer.push(dir, parent, name, new StoreTransfer.Listener() { });
            deleteTree(dir);
            closed = true;
        } catch (IOException | RuntimeException e) {
            if (l != null) {
                l.abandon(); // expires by itself; the next recovery takes it again
            }
            throw new ImgStoreException("upload of " + dir.getFileName() + " to " + destination + " failed ("
                    + e.getMessage() + "); the spool folder " + dir + " is kept and uploaded by the next recovery", e);
        }
        if (l != null) {
            l.close(); // after the upload: the next writer finds the whole store in the bucket
        }
    }

    /** Test seam: stops the uploader as a killed process would (queued uploads lost); the writer is untouched. */
    void abandonUploads() {
        abandoned = true;
        dropQueued();
        uploader.interrupt();
        joinUploader();
    }

    private void dropQueued() {
        List<List<String>> dropped = new ArrayList<>();
        queue.drainTo(dropped);
        for (int i = 0; i < dropped.size(); i++) {
            done();
        }
    }

    private void stopUploader() {
        if (!uploader.isAlive()) {
            return;
        }
        dropQueued(); // close pushes everything anyway
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(STOP);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        interrupted |= joinUploader();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins the uploader; true when this thread was interrupted meanwhile. */
    private boolean joinUploader() {
        boolean interrupted = false;
        while (uploader.isAlive()) {
            try {
                uploader.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    // ------------------------------------------------------------------ uploader thread

    private void uploadLoop() {
        while (true) {
            List<String> batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == STOP) {
                return;
            }
            try {
                for (String relative : batch) {
                    if (abandoned || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    StoreLease l = lease;
                    if (l != null && l.isLost()) {
                        failed(new IOException("the writer lease of " + destination + " was lost; not uploaded"));
                        continue;
                    }
                    upload(relative);
                }
            } finally {
                done();
            }
        }
    }

    private void upload(String relative) {
        try {
            StoreTransfer.Action a = transfer.putFile(dir, destination, relative);
            (a == StoreTransfer.Action.UNCHANGED ? unchangedFiles : uploadedFiles).incrementAndGet();
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        if (abandoned) {
            return;
        }
        failedUploads.incrementAndGet();
        lastFailure = e;
        LOG.log(System.Logger.Level.WARNING, "background upload of a chunk of " + dir.getFileName() + " to "
                + destination + " failed (retried at close): " + e.getMessage());
    }

    private void done() {
        synchronized (idle) {
            pending--;
            idle.notifyAll();
        }
    }

    // ------------------------------------------------------------------ files

    private String relative(Path p) {
        StringBuilder b = new StringBuilder();
        for (Path segment : dir.relativize(p)) {
            b.append(b.isEmpty() ? "" : "/").append(segment);
        }
        return b.toString();
    }

    /** The store's files now (no {@code .lock}, no journal), in upload order. */
    private List<String> presentFiles() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String rel = relative(p);
                if (!a.isRegularFile() || rel.equals(StoreLayout.LOCK_FILE) || rel.endsWith(StoreLayout.JOURNAL_SUFFIX)) {
                    continue;
                }
                out.add(rel);
            }
        }
        out.sort(Comparator.comparingInt(StoreTransfer::rank).thenComparing(Comparator.naturalOrder()));
        return out;
    }

    static S3Location parentOf(S3Location store) {
        String p = store.prefix();
        int slash = p.lastIndexOf('/');
        return new S3Location(store.bucket(), slash < 0 ? "" : p.substring(0, slash));
    }

    static String nameOf(S3Location store) {
        String p = store.prefix();
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Deletes a folder and what is in it, without following symbolic links. */
    static void deleteTree(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
