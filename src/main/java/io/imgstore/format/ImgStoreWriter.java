package io.imgstore.format;

import io.imgstore.format.codec.ImageOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store opened for writing: imgstore's {@code new_for_format(...)} in mode {@code 'w'}.
 * Files are those Python imgstore writes ({@code metadata.yaml}, {@code .lock} while open, chunk
 * files, {@code .npz} indexes, {@code .extra.json}), plus an append-only {@code .journal} per open
 * chunk so that a killed writer loses no index (see {@link #recover(Path)}). File names are
 * {@link StoreLayout}'s.
 *
 * <p>The work is shared with package-private helpers: {@code WriterLock} (the {@code .lock}),
 * {@code ChunkLifecycle} (opening, writing and finishing chunks and their indexes),
 * {@code ExtraDataAppender} ({@code .extra.json}), {@code StoreRecovery} ({@link #recover}) and
 * {@code StoreReindexer} ({@link #reindex}).
 *
 * <p>Not thread-safe: one thread writes (the service serialises requests per store).
 */
public final class ImgStoreWriter implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path baseDir;
    private final StoreSpec spec;
    private final Map<String, Object> storeMetadata;
    private final StoreLayout layout;
    private final WriterLock lock;
    private final ChunkLifecycle chunks;
    private final ExtraDataAppender extra;

    private long frameCount;
    private long lastFrameNumber;
    private double lastFrameTime = Double.NaN;
    private boolean closed;
    private IntConsumer chunkFinished = chunk -> { };

    private ImgStoreWriter(Path baseDir, StoreSpec spec, Map<String, Object> storeMetadata, int firstChunk,
                           WriterLock lock) {
        this.baseDir = baseDir;
        this.spec = spec;
        this.storeMetadata = storeMetadata;
        this.layout = StoreLayout.of(baseDir, spec.format());
        this.lock = lock;
        this.chunks = new ChunkLifecycle(layout, spec, storeMetadata, firstChunk);
        this.extra = new ExtraDataAppender(layout);
    }

    /**
     * Creates a new store in {@code dir} (created if absent; must not already hold a store).
     *
     * @throws StoreExistsException when {@code dir} already holds a {@code metadata.yaml}
     */
    public static ImgStoreWriter create(Path dir, StoreSpec spec) {
        if (Files.isRegularFile(StoreLayout.metadataFile(dir))) {
            throw new StoreExistsException("a store already exists at " + dir.getFileName());
        }
        if (spec.encoding() != null && !ImageOps.supportsEncoding(spec.encoding())) {
            throw new UnsupportedFormatException("unsupported store image encoding: " + spec.encoding());
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ImgStoreException("cannot create store folder " + dir.getFileName() + ": " + e.getMessage(), e);
        }
        StoreMetadata md = StoreMetadata.forNewStore(spec);
        ImgStoreWriter w = new ImgStoreWriter(dir, spec, new LinkedHashMap<>(md.store()), 0, WriterLock.acquire(dir));
        md.write(dir);
        return w;
    }

    /** A writer continuing a recovered store, with the lock {@link StoreRecovery} took first. */
    static ImgStoreWriter resume(Path dir, StoreSpec spec, Map<String, Object> storeMetadata, int nextChunk,
                                 long frames, long lastNumber, double lastTime, WriterLock lock) {
        ImgStoreWriter w = new ImgStoreWriter(dir, spec, storeMetadata, nextChunk, lock);
        w.frameCount = frames;
        w.lastFrameNumber = lastNumber;
        w.lastFrameTime = lastTime;
        return w;
    }

    /**
     * Reopens a store whose writer died (a {@code .lock} left, the open chunk with a journal but no
     * index): writes the open chunk's index from its journal, keeping only frames that are really
     * in the chunk (a video's last frames may be lost with the encoder's buffer), and returns a
     * writer that continues in a new chunk. A store that was closed cleanly is reopened for appending.
     */
    public static ImgStoreWriter recover(Path dir) {
        return StoreRecovery.recover(dir);
    }

    // ---- writing ----

    /**
     * Adds a frame (imgstore's {@code add_image}).
     *
     * @throws InvalidImageException when the image's shape or dtype is not the store's
     */
    public void addImage(Image image, long frameNumber, double frameTime) {
        ensureOpen();
        int[] expected = spec.imgshape();
        boolean sameShape = image.height() == expected[0] && image.width() == expected[1]
                && image.channels() == (expected.length == 3 ? 3 : 1);
        if (!sameShape) {
            throw new InvalidImageException("image shape " + Arrays.toString(image.shape())
                    + " does not match the store's imgshape " + Arrays.toString(expected));
        }
        if (image.pixelType() != spec.pixelType()) {
            throw new InvalidImageException("image dtype " + image.pixelType().dtype() + " does not match the store's "
                    + spec.pixelType().dtype());
        }
        chunks.add(image, frameNumber, frameTime);
        frameCount++;
        lastFrameNumber = frameNumber;
        lastFrameTime = frameTime;
        if (chunks.isFull()) {
            finishChunk();
        }
    }

    /**
     * Records extra data for the last frame added (imgstore's {@code add_extra_data}): the record gets
     * {@code frame_time}, {@code frame_number} and {@code frame_index} of that frame. Values must be
     * JSON-serialisable.
     *
     * @throws ImgStoreException before the first frame
     */
    public void addExtraData(Map<String, ?> data) {
        ensureOpen();
        if (data == null || data.isEmpty()) {
            return;
        }
        if (frameCount == 0) {
            throw new ImgStoreException("add_extra_data needs a frame first");
        }
        Map<String, Object> record = new LinkedHashMap<>(data);
        record.put("frame_time", lastFrameTime);
        record.put("frame_number", lastFrameNumber);
        record.put("frame_index", frameCount - 1);
        String text;
        try {
            text = JSON.writeValueAsString(record);
        } catch (RuntimeException e) {
            throw new InvalidImageException("extra data is not JSON-serialisable: " + e.getMessage());
        }
        // the record belongs to the chunk of the last frame, which may just have been finished
        boolean finished = chunks.framesInOpenChunk() == 0;
        int target = finished ? chunks.current() - 1 : chunks.current();
        extra.append(text, target, finished);
    }

    /**
     * Limits the {@code .extra.json} of each chunk to about {@code bytes} (the JSON text of its records):
     * {@link #addExtraData} beyond it throws {@link ExtraDataTooLargeException} and records nothing.
     * Unlimited by default.
     */
    public void setMaxExtraDataBytesPerChunk(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + bytes);
        }
        extra.setMaxBytesPerChunk(bytes);
    }

    private void finishChunk() {
        int finished = chunks.finish();
        extra.chunkFinished(finished);
        chunkFinished.accept(finished);
    }

    /**
     * Called on the writing thread with a chunk's number each time its video (or frame folder) and
     * index are final: when it filled up, at {@link #close()}, and for a chunk adopted by
     * {@link #insertChunk}. Its {@code .extra.json} may still get the record of the chunk's last frame
     * ({@link #addExtraData} right after it); it is final once the next chunk is finished or the writer
     * is closed. One listener (replaces the previous one).
     */
    public void setChunkFinishedListener(IntConsumer listener) {
        this.chunkFinished = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Adopts an existing video file as the next chunk (imgstore's {@code insert_chunk}): writes its
     * index from the given numbers and times, then moves (or copies) the file into the store.
     */
    public void insertChunk(Path videoFile, long[] frameNumbers, double[] frameTimes, boolean move) {
        ensureOpen();
        if (!spec.format().video()) {
            throw new UnsupportedFormatException("insert_chunk is for video stores");
        }
        if (frameNumbers.length != frameTimes.length) {
            throw new InvalidImageException("frame_numbers and frame_times differ in length");
        }
        if (!videoFile.getFileName().toString().endsWith(spec.format().extension())) {
            throw new InvalidImageException("chunk file must end with " + spec.format().extension());
        }
        if (chunks.framesInOpenChunk() > 0) {
            finishChunk();
        }
        chunks.adoptVideo(videoFile, frameNumbers, frameTimes, move);
        frameCount += frameNumbers.length;
        if (frameNumbers.length > 0) {
            lastFrameNumber = frameNumbers[frameNumbers.length - 1];
            lastFrameTime = frameTimes[frameTimes.length - 1];
        }
        chunkFinished.accept(chunks.current() - 1);
    }

    /**
     * Finishes the open chunk (index written, journal removed), closes extra data and removes
     * {@code .lock}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (lock.leaseLost()) {
            // another process owns the store now: finishing the chunk would overwrite its files
            abandon();
            lock.check(); // throws LeaseLostException with the reason
        }
        try {
            if (chunks.framesInOpenChunk() > 0) {
                finishChunk();
            } else if (frameCount == 0) {
                chunks.writeEmptyChunkZero();
            }
            extra.close();
        } catch (IOException e) {
            throw new ImgStoreException("cannot close store: " + e.getMessage(), e);
        } finally {
            closed = true;
            lock.release(true);
        }
    }

    /**
     * Hands the store over to the next writer without closing it: finishes the open chunk and its index
     * (nothing is lost) and releases the lease and the OS lock, but keeps {@code .lock}, so the store stays
     * open for writing and the next writer, in this process or another one sharing the folder, continues it
     * at once with {@link #recover} (in a new chunk). A writer without frames is closed instead (nothing to
     * continue from). Used by the service for stores idle on one replica. Idempotent with {@link #close()}.
     */
    public void detach() {
        if (closed) {
            return;
        }
        if (frameCount == 0) {
            close();
            return;
        }
        if (lock.leaseLost()) {
            abandon();
            lock.check(); // throws LeaseLostException with the reason
        }
        try {
            if (chunks.framesInOpenChunk() > 0) {
                finishChunk();
            }
            extra.close();
        } catch (IOException e) {
            throw new ImgStoreException("cannot detach from store: " + e.getMessage(), e);
        } finally {
            closed = true;
            lock.handOver();
        }
    }

    /** Renews the lease at once instead of at the next renew interval (tests). False when it is lost. */
    boolean renewLeaseNow() {
        return lock.renewNow();
    }

    /** True when this writer's lease on its store was lost (it writes nothing more; see {@link WriterLeases}). */
    public boolean leaseLost() {
        return lock.leaseLost();
    }

    /**
     * Abandons the writer without finishing the open chunk, as a crash would (for tests of
     * {@link #recover}); the {@code .lock} stays.
     */
    void abandon() {
        closed = true;
        chunks.abandon();
        try {
            extra.abandon();
        } catch (IOException ignored) {
            // abandoning
        }
        lock.release(false);
    }

    /**
     * Removes every frame written so far and starts again at chunk 0 (imgstore's {@code empty}).
     */
    public void empty() {
        ensureOpen();
        chunks.discardAll();
        try {
            extra.abandon();
            try (var files = Files.list(baseDir)) {
                for (Path p : files.toList()) {
                    String n = p.getFileName().toString();
                    if (n.matches("\\d{6}.*")) {
                        deleteRecursively(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new ImgStoreException("cannot empty store: " + e.getMessage(), e);
        }
        chunks.restartAtZero();
        frameCount = 0;
        lastFrameTime = Double.NaN;
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteRecursively(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    private void ensureOpen() {
        if (closed) {
            throw new ImgStoreException("store writer is closed");
        }
        lock.check();
    }

    public Path path() {
        return baseDir;
    }

    public StoreSpec spec() {
        return spec;
    }

    /** The names of the store's files. */
    public StoreLayout layout() {
        return layout;
    }

    /** The {@code __store} block written. */
    public Map<String, Object> storeMetadata() {
        return Collections.unmodifiableMap(storeMetadata);
    }

    /** The store's metadata as written: the {@code __store} block and the user metadata. */
    public StoreMetadata metadata() {
        return new StoreMetadata(storeMetadata, spec.userMetadata());
    }

    public long frameCount() {
        return frameCount;
    }

    /** Frames already in finished chunks (readable by any reader, also Python's). */
    public long framesInFinishedChunks() {
        return frameCount - chunks.framesInOpenChunk();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Forces the open chunk's journal to disk (the service calls this at least once a second). */
    public void sync() {
        chunks.sync();
    }

    /**
     * imgstore's {@code reindex()}: frame_number 0 becomes the origin, frames before it get -n..-1;
     * the old numbers are kept as {@code _frame_number_before_reindex} in the index and extra data.
     *
     * @throws ImgStoreException unless exactly one frame has number 0
     */
    public static void reindex(Path storePath) {
        StoreReindexer.reindex(storePath);
    }
}
