package io.imgstore.service.ingest;

import io.imgstore.format.ImgStoreException;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.StoreLease;
import io.imgstore.format.StoreLockedException;
import io.imgstore.format.StoreSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store open for writing. The {@link ImgStoreWriter} is touched only by this session's own
 * writer thread, so every write, extra-data record, sync and close is serialised without locks.
 * One client at a time streams frames into it ({@link #openStream}); a second gets
 * {@link StoreLockedException} (409). The writer stays open between streams until {@link #close()}.
 *
 * <p>A stream parses frames on the request's thread and hands them to the writer thread through a
 * small queue ({@code imgstore.ingest.queue-frames}), so reading the socket and writing overlap;
 * when the queue is full the request thread waits and stops reading its socket (TCP backpressure).
 */
public final class WriterSession {

    private static final Logger LOG = LoggerFactory.getLogger(WriterSession.class);
    /** How long a second client waits for the store before it gets 409. */
    private static final long CLAIM_WAIT_NANOS = 5_000_000_000L;
    /** How long a client waits for a previous client's stream that is ending (writing its queued frames). */
    private static final long ENDING_WAIT_NANOS = 120_000_000_000L;
    /** How long one wait for the claim lasts before the holder's state is looked at again. */
    private static final long CLAIM_SLICE_NANOS = 50_000_000L;

    /** Told about new frames and the end of the session, on the writer thread: must not block. */
    public interface Watcher {
        void frame(LatestFrame frame);

        void closed(long frameCount);
    }

    /** Told when frames become readable on disk (a chunk finished). */
    interface ChunkListener {
        void chunkFinished(WriterSession session);
    }

    private final String id;
    private final String path;
    private final ImgStoreWriter writer;
    /** Closes the store on the writer thread: the writer, or a spooled writer that also uploads. */
    private final Runnable closer;
    private final StoreLease objectLease;
    /**
     * Whether {@link #detachIfIdle} may hand the store over: not for a store spooled on this replica's disk
     * for object storage (another replica could not continue it; closing uploads it instead).
     */
    private final boolean handOverWhenIdle;
    private final StoreSpec spec;
    private final ThreadPoolExecutor thread;
    private final Semaphore queue;
    private final BufferBudget budget;
    private final ChunkListener chunkListener;
    /** One streaming client at a time: a permit, not a thread-bound lock (a WebSocket claims on one
     * thread and gives back on another). */
    private final Semaphore claim = new Semaphore(1);
    /** The client holding {@link #claim}, null when free. */
    private volatile Claim owner;

    /** Who holds the store; {@code ending} once its stream is only draining queued frames. */
    private static final class Claim {
        final String who;
        volatile boolean ending;

        Claim(String who) {
            this.who = who;
        }
    }
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    private volatile LatestFrame latest;
    private volatile long frameCount;
    private volatile boolean closed;
    /** {@link System#nanoTime()} of the last stream opened or frame written (see {@link #detachIfIdle}). */
    private volatile long lastActivity = System.nanoTime();
    /** Set by {@link #detachIfIdle}: closed here, but the store stays open for writing (a retry continues it). */
    private volatile boolean detached;
    /** The server is stopping: streams take no further frame ({@link ShuttingDownException}). */
    private volatile boolean stopping;
    private long finishedSeen;

    WriterSession(String id, String path, ImgStoreWriter writer, int queueFrames, BufferBudget budget,
                  ChunkListener chunkListener) {
        this(id, path, writer, writer::close, true, queueFrames, budget, chunkListener);
    }

    /**
     * @param closer           closes the store on the writer thread: the writer, or a spooled writer that also uploads
     * @param handOverWhenIdle whether {@link #detachIfIdle} applies (false for a spooled store)
     */
    WriterSession(String id, String path, ImgStoreWriter writer, Runnable closer, boolean handOverWhenIdle,
                  int queueFrames, BufferBudget budget, ChunkListener chunkListener) {
        this(id, path, writer, closer, handOverWhenIdle, queueFrames, budget, chunkListener, null);
    }

    /**
     * @param objectLease the store's writer lease in object storage (a spooled store), checked before every
     *                    write like the writer's own lease; null for none
     */
    WriterSession(String id, String path, ImgStoreWriter writer, Runnable closer, boolean handOverWhenIdle,
                  int queueFrames, BufferBudget budget, ChunkListener chunkListener, StoreLease objectLease) {
        this.objectLease = objectLease;
        this.closer = closer;
        this.handOverWhenIdle = handOverWhenIdle;
        this.id = id;
        this.path = path;
        this.writer = writer;
        this.spec = writer.spec();
        this.queue = new Semaphore(queueFrames);
        this.budget = budget;
        this.chunkListener = chunkListener;
        this.frameCount = writer.frameCount();
        this.finishedSeen = writer.framesInFinishedChunks();
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ingest-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    public String id() {
        return id;
    }

    public String path() {
        return path;
    }

    public StoreSpec spec() {
        return spec;
    }

    /** The {@code __store} metadata block. */
    public Map<String, Object> storeMetadata() {
        return writer.storeMetadata();
    }

    /** Frames written (what a reader will find once the store is closed). */
    public long frameCount() {
        return frameCount;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The newest frame written in this session, or null (none yet, e.g. just recovered). */
    public LatestFrame latest() {
        return latest;
    }

    public boolean streaming() {
        return owner != null;
    }

    public void addWatcher(Watcher w) {
        watchers.add(w);
    }

    public void removeWatcher(Watcher w) {
        watchers.remove(w);
    }

    public int watcherCount() {
        return watchers.size();
    }

    /** Makes a decoder for this store's frames. */
    public RecordDecoder decoder(IngestProperties props) {
        return new RecordDecoder(spec.imgshape(), spec.pixelType(), props, budget);
    }

    /**
     * Claims the store for one streaming client.
     *
     * @param onWritten called on the writer thread after each frame of this stream is written (may be null)
     * @throws StoreLockedException when another client is streaming, or the store is closed
     */
    public Stream openStream(String who, LongConsumer onWritten) {
        ensureOpen();
        if (stopping) {
            throw new ShuttingDownException("the server is stopping; reconnect after its restart");
        }
        Claim token = new Claim(who);
        // a client that has just ended its stream (WebSocket closed, request finishing) may still be
        // draining its last frames: wait for it; an active client gets 409 after a short wait
        long deadline = System.nanoTime() + CLAIM_WAIT_NANOS;
        long endingDeadline = System.nanoTime() + ENDING_WAIT_NANOS;
        try {
            // wakes as soon as the store is given back; between waits, checks whether the holder is ending
            while (!claim.tryAcquire(CLAIM_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
                Claim current = owner;
                long now = System.nanoTime();
                boolean ending = current != null && current.ending;
                if (ending ? now > endingDeadline : now > deadline) {
                    throw new StoreLockedException("store " + id + " is being written by another client ("
                            + (current == null ? "?" : current.who) + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreLockedException("store " + id + " is being written by another client");
        }
        owner = token;
        if (closed) {
            owner = null;
            claim.release();
            ensureOpen();
        }
        lastActivity = System.nanoTime();
        return new Stream(token, onWritten);
    }

    /** Frames streamed by one client. Close it (always) to wait for its frames and give the store back. */
    public final class Stream implements AutoCloseable {
        private final Claim token;
        private final LongConsumer onWritten;
        private volatile RuntimeException failure;
        private volatile long written;
        private boolean released;

        private Stream(Claim token, LongConsumer onWritten) {
            this.token = token;
            this.onWritten = onWritten;
        }

        /**
         * Queues a frame for writing; waits while the queue is full. Throws the first write failure
         * of this stream (the frame is then dropped and its budget given back).
         */
        public void submit(FrameRecord r) throws InterruptedException {
            RuntimeException f = failure;
            if (f != null) {
                budget.release(r.heldBytes());
                throw f;
            }
            if (stopping) {
                budget.release(r.heldBytes());
                throw new ShuttingDownException("the server is stopping; the frames before this one are written");
            }
            try {
                queue.acquire();
            } catch (InterruptedException e) {
                budget.release(r.heldBytes());
                throw e;
            }
            try {
                thread.execute(() -> {
                    try {
                        if (failure == null) {
                            write(r);
                            written++;
                            if (onWritten != null) {
                                onWritten.accept(written);
                            }
                        }
                    } catch (RuntimeException e) {
                        failure = e;
                    } finally {
                        budget.release(r.heldBytes());
                        queue.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                queue.release();
                budget.release(r.heldBytes());
                throw new StoreClosedException(id);
            }
        }

        /** Waits until every queued frame is written; returns the frames written by this stream. */
        public long drain() {
            call(() -> null, false);
            return written;
        }

        public long written() {
            return written;
        }

        /** The first write failure, or null. */
        public RuntimeException failure() {
            return failure;
        }

        /** Records extra data for the last frame, after the queued frames. */
        public void addExtraData(Map<String, Object> data) {
            call(() -> {
                if (objectLease != null) {
                    objectLease.check();
                }
                writer.addExtraData(data);
                return null;
            }, true);
        }

        /** Drains and gives the store back to other clients. Idempotent. */
        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            token.ending = true;
            try {
                drain();
            } finally {
                if (owner == token) {
                    owner = null;
                    claim.release();
                }
            }
        }

        /** Closes the store as its owner (after this stream's frames). */
        public long closeStore() {
            drain();
            return WriterSession.this.doClose();
        }
    }

    private void write(FrameRecord r) {
        lastActivity = System.nanoTime();
        if (objectLease != null) {
            objectLease.check(); // LeaseLostException (409): this session is dead, the next request sees it
        }
        writer.addImage(r.image(), r.frameNumber(), r.frameTime());
        long n = writer.frameCount();
        frameCount = n;
        if (r.extra() != null && !r.extra().isEmpty()) {
            writer.addExtraData(r.extra());
        }
        LatestFrame lf = new LatestFrame(r.image(), r.frameNumber(), r.frameTime(), n - 1);
        latest = lf;
        for (Watcher w : watchers) {
            try {
                w.frame(lf);
            } catch (RuntimeException e) {
                LOG.debug("live watcher failed: {}", e.toString());
            }
        }
        long finished = writer.framesInFinishedChunks();
        if (finished != finishedSeen) {
            finishedSeen = finished;
            chunkListener.chunkFinished(this);
        }
    }

    /** Extra data for the most recent frame (no stream open). */
    public void addExtraData(Map<String, Object> data) {
        try (Stream s = openStream("extra-data", null)) {
            s.addExtraData(data);
        }
    }

    /** Forces the journal to disk (queued behind pending writes; does not wait). */
    void syncAsync() {
        try {
            thread.execute(() -> {
                if (!closed) {
                    writer.sync();
                }
            });
        } catch (RejectedExecutionException ignored) {
            // closed meanwhile
        }
    }

    /**
     * Finishes the open chunk, writes its index and removes {@code .lock}; returns the frame count.
     *
     * @throws StoreLockedException while a client is streaming
     */
    public long close() {
        try (Stream s = openStream("close", null)) {
            return s.closeStore();
        }
    }

    /** Server shutdown, first step: streams take no further frame (their queued frames are still written). */
    void stopStreams() {
        stopping = true;
    }

    /**
     * Hands the store over when no client has streamed into it for {@code idleNanos}
     * ({@link ImgStoreWriter#detach()}: chunk and index finished, lease released, {@code .lock} kept), so that
     * another replica, or this one, continues it at the next request. False when a client is streaming,
     * frames were written recently, or the session is closed.
     */
    boolean detachIfIdle(long idleNanos) {
        if (!handOverWhenIdle || closed || System.nanoTime() - lastActivity < idleNanos || !claim.tryAcquire()) {
            return false;
        }
        boolean handedOver = false;
        try {
            if (closed || System.nanoTime() - lastActivity < idleNanos) {
                return false;
            }
            handedOver = true;
            detached = true;
            call(() -> {
                if (!closed) {
                    closed = true;
                    writer.detach();
                }
                return null;
            }, true);
            return true;
        } finally {
            if (handedOver) {
                closed = true;
                thread.shutdown();
                for (Watcher w : watchers) {
                    try {
                        w.closed(frameCount);
                    } catch (RuntimeException e) {
                        LOG.debug("live watcher failed: {}", e.toString());
                    }
                }
                watchers.clear();
            }
            claim.release();
        }
    }

    /** The store's writer lease in object storage (a spooled store), or null. */
    StoreLease objectLease() {
        return objectLease;
    }

    /** True when the writer's lease was lost (another process took the store over): this session is dead. */
    boolean leaseLost() {
        return writer.leaseLost() || (objectLease != null && objectLease.isLost());
    }

    /** Closes whatever streams do (server shutdown): their next frames fail. */
    long forceClose() {
        if (closed) {
            return frameCount;
        }
        return doClose();
    }

    private long doClose() {
        long n = frameCount;
        try {
            Long r = call(() -> {
                if (!closed) {
                    closed = true;
                    closer.run();
                }
                return frameCount;
            }, true);
            n = r == null ? frameCount : r;
            return n;
        } finally {
            closed = true;
            thread.shutdown();
            for (Watcher w : watchers) {
                try {
                    w.closed(n);
                } catch (RuntimeException e) {
                    LOG.debug("live watcher failed: {}", e.toString());
                }
            }
            watchers.clear();
        }
    }

    private <T> T call(Callable<T> task, boolean rethrow) {
        Future<T> f;
        try {
            f = thread.submit(task);
        } catch (RejectedExecutionException e) {
            if (!rethrow) {
                return null;
            }
            throw new StoreClosedException(id);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the frames already queued are written anyway
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ImgStoreException("writer failed: " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void ensureOpen() {
        if (detached) {
            // not closed: the store is open for writing elsewhere (or here again): a retry continues it
            throw new StoreLockedException("store " + id + " was just handed over to another writer; retry");
        }
        if (closed) {
            throw new StoreClosedException(id);
        }
    }
}
