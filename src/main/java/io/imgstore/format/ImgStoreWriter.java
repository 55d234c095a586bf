package io.imgstore.format;

import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.codec.ImageOps;
import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.internal.ChunkIndex;
import io.imgstore.format.internal.DirectoryFrameSource;
import io.imgstore.format.internal.ExtraDataFiles;
import io.imgstore.format.internal.Journal;
import io.imgstore.format.internal.MetadataYaml;
import io.imgstore.format.internal.VideoFrameSource;
import io.imgstore.format.npy.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store opened for writing: imgstore's {@code new_for_format(...)} in mode {@code 'w'}.
 * Files are those Python imgstore writes ({@code metadata.yaml}, {@code .lock} while open, chunk
 * files, {@code .npz} indexes, {@code .extra.json}), plus an append-only {@code .journal} per open
 * chunk so that a killed writer loses no index (see {@link #recover(Path)}).
 *
 * <p>Not thread-safe: one thread writes (the service serialises requests per store).
 */
public final class ImgStoreWriter implements AutoCloseable {

    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long SYNC_INTERVAL_NANOS = 1_000_000_000L;

    private final Path baseDir;
    private final StoreSpec spec;
    private final Map<String, Object> storeMetadata;
    private final int[] shape;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private int chunkN;
    private int chunkFrames;
    private List<Long> chunkNumbers = new ArrayList<>();
    private List<Double> chunkTimes = new ArrayList<>();
    private VideoChunkWriter video;
    private Journal journal;
    private Writer extraWriter;
    private long lastSync = System.nanoTime();

    private long frameCount;
    private long lastFrameNumber;
    private double lastFrameTime = Double.NaN;
    private boolean closed;

    private ImgStoreWriter(Path baseDir, StoreSpec spec, Map<String, Object> storeMetadata, int firstChunk) {
        this.baseDir = baseDir;
        this.spec = spec;
        this.storeMetadata = storeMetadata;
        this.shape = spec.writtenShape();
        this.chunkN = firstChunk;
        Path key = baseDir.toAbsolutePath().normalize();
        if (!OPEN.add(key)) {
            throw new StoreLockedException("store " + baseDir.getFileName() + " is already open for writing");
        }
        try {
            lockChannel = FileChannel.open(baseDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                lockChannel.close();
                throw new StoreLockedException("store " + baseDir.getFileName() + " is being written by another process");
            }
        } catch (IOException | OverlappingFileLockException e) {
            OPEN.remove(key);
            throw new StoreLockedException("cannot lock store " + baseDir.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            OPEN.remove(key);
            throw e;
        }
    }

    /**
     * Creates a new store in {@code dir} (created if absent; must not already hold a store).
     *
     * @throws StoreExistsException when {@code dir} already holds a {@code metadata.yaml}
     */
    public static ImgStoreWriter create(Path dir, StoreSpec spec) {
        if (ImgStore.isStore(dir)) {
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
        Map<String, Object> smd = new LinkedHashMap<>();
        smd.put("chunksize", spec.chunksize());
        smd.put("class", spec.format().storeClass());
        smd.put("created_utc", isoformat(LocalDateTime.now(ZoneOffset.UTC)));
        smd.put("encoding", spec.encoding());
        if (spec.format().video()) {
            smd.put("extension", spec.format().extension());
        }
        smd.put("format", spec.format().name());
        smd.put("imgdtype", spec.pixelType().dtype());
        List<Integer> shape = new ArrayList<>();
        for (int v : spec.writtenShape()) {
            shape.add(v);
        }
        smd.put("imgshape", shape);
        smd.put("timezone_local", ZoneId.systemDefault().getId());
        smd.put("uuid", UUID.randomUUID().toString().replace("-", ""));
        smd.put("version", 2);
        ImgStoreWriter w = new ImgStoreWriter(dir, spec, smd, 0);
        Map<String, Object> doc = new LinkedHashMap<>(spec.userMetadata());
        doc.put(MetadataYaml.STORE_KEY, smd);
        MetadataYaml.write(dir, doc);
        return w;
    }

    /** Python's {@code datetime.isoformat()} of a naive datetime: microseconds only when non-zero. */
    static String isoformat(LocalDateTime t) {
        LocalDateTime micros = t.truncatedTo(ChronoUnit.MICROS);
        String pattern = micros.getNano() == 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss.SSSSSS";
        return micros.format(DateTimeFormatter.ofPattern(pattern));
    }

    /**
     * Reopens a store whose writer died (a {@code .lock} left, the open chunk with a journal but no
     * index): writes the open chunk's index from its journal, keeping only frames that are really
     * in the chunk (a video's last frames may be lost with the encoder's buffer), and returns a
     * writer that continues in a new chunk. A store that was closed cleanly is reopened for appending.
     */
    public static ImgStoreWriter recover(Path dir) {
        try (ImgStore probe = ImgStore.open(dir)) {
            // validates metadata; probe sees the journal-backed chunk too
            probe.frameCount();
        }
        Map<String, Object> doc = MetadataYaml.read(dir);
        @SuppressWarnings("unchecked")
        Map<String, Object> smd = new LinkedHashMap<>((Map<String, Object>) doc.remove(MetadataYaml.STORE_KEY));
        StoreFormat format = StoreFormat.of(String.valueOf(smd.get("format")));
        @SuppressWarnings("unchecked")
        List<Number> shapeList = (List<Number>) smd.get("imgshape");
        int[] shape = shapeList.stream().mapToInt(Number::intValue).toArray();
        String enc = smd.get("encoding") == null ? null : String.valueOf(smd.get("encoding"));
        StoreSpec spec = new StoreSpec(format, shape, PixelType.ofDtype(String.valueOf(smd.get("imgdtype"))),
                ((Number) smd.get("chunksize")).intValue(), doc, enc == null || enc.isBlank() ? null : enc, null);

        int lastChunk = -1;
        long frames = 0;
        long lastNumber = 0;
        double lastTime = Double.NaN;
        for (int chunk = 0; ; chunk++) {
            Path base = format.video() ? dir.resolve(String.format("%06d", chunk))
                    : dir.resolve(String.format("%06d", chunk)).resolve("index");
            boolean exists = format.video() ? Files.exists(VideoFrameSource.chunkPath(dir, chunk, format.extension()))
                    || Files.exists(Journal.pathFor(base)) : Files.isDirectory(base.getParent());
            if (!exists) {
                break;
            }
            lastChunk = chunk;
            ChunkIndex idx = recoverChunk(dir, format, chunk, base, smd, spec.color());
            frames += idx.size();
            if (idx.size() > 0) {
                lastNumber = idx.frameNumbers()[idx.size() - 1];
                lastTime = idx.frameTimes()[idx.size() - 1];
            }
        }
        ImgStoreWriter w = new ImgStoreWriter(dir, spec, smd, lastChunk + 1);
        w.frameCount = frames;
        w.lastFrameNumber = lastNumber;
        w.lastFrameTime = lastTime;
        return w;
    }

    private static ChunkIndex recoverChunk(Path dir, StoreFormat format, int chunk, Path base,
                                           Map<String, Object> smd, boolean color) {
        var existing = ChunkIndex.load(chunk, base);
        boolean hasIndex = Files.exists(base.resolveSibling(base.getFileName() + ".npz"))
                || Files.exists(base.resolveSibling(base.getFileName() + ".yaml"));
        if (hasIndex) {
            return existing.orElseThrow();
        }
        ChunkIndex journal = existing.orElse(new ChunkIndex(chunk, new long[0], new double[0]));
        int present = countReadableFrames(dir, format, chunk, journal.size(), color);
        ChunkIndex kept = new ChunkIndex(chunk, java.util.Arrays.copyOf(journal.frameNumbers(), present),
                java.util.Arrays.copyOf(journal.frameTimes(), present));
        kept.writeNpz(base, smd);
        Journal.pathFor(base).toFile().delete();
        closeExtraJson(base.resolveSibling(base.getFileName() + ExtraDataFiles.EXTRA_JSON), present);
        return kept;
    }

    private static int countReadableFrames(Path dir, StoreFormat format, int chunk, int journalled, boolean color) {
        if (format.video()) {
            Path file = VideoFrameSource.chunkPath(dir, chunk, format.extension());
            if (!Files.isRegularFile(file)) {
                return 0;
            }
            try (var r = io.imgstore.format.codec.VideoChunkReader.open(file, color)) {
                return Math.min(journalled, r.frameCount());
            } catch (ImgStoreException e) {
                return 0;
            }
        }
        int n = 0;
        while (n < journalled && Files.isRegularFile(DirectoryFrameSource.framePath(dir, format, chunk, n))) {
            n++;
        }
        return n;
    }

    /** Terminates an extra-data file left open, dropping records of frames that were lost. */
    private static void closeExtraJson(Path file, int framesKept) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<Map<String, Object>> rows = ExtraDataFiles.readJson(file);
        try {
            Files.writeString(file, JSON.writeValueAsString(rows), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImgStoreException("cannot rewrite " + file.getFileName() + ": " + e.getMessage(), e);
        }
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
            throw new InvalidImageException("image shape " + java.util.Arrays.toString(image.shape())
                    + " does not match the store's imgshape " + java.util.Arrays.toString(expected));
        }
        if (image.pixelType() != spec.pixelType()) {
            throw new InvalidImageException("image dtype " + image.pixelType().dtype() + " does not match the store's "
                    + spec.pixelType().dtype());
        }
        if (chunkFrames == 0) {
            startChunk();
        }
        if (spec.format().video()) {
            video.write(cropToEven(image));
        } else {
            writeImageFile(image);
        }
        chunkNumbers.add(frameNumber);
        chunkTimes.add(frameTime);
        journal.append(frameNumber, frameTime);
        long now = System.nanoTime();
        if (now - lastSync > SYNC_INTERVAL_NANOS) {
            journal.sync();
            lastSync = now;
        }
        chunkFrames++;
        frameCount++;
        lastFrameNumber = frameNumber;
        lastFrameTime = frameTime;
        if (chunkFrames == spec.chunksize()) {
            finishChunk();
        }
    }

    private Image cropToEven(Image image) {
        if (image.height() == shape[0] && image.width() == shape[1]) {
            return image;
        }
        int bpp = image.channels() * image.pixelType().bytes();
        byte[] out = new byte[shape[0] * shape[1] * bpp];
        for (int y = 0; y < shape[0]; y++) {
            System.arraycopy(image.data(), y * image.width() * bpp, out, y * shape[1] * bpp, shape[1] * bpp);
        }
        return new Image(shape[0], shape[1], image.channels(), image.pixelType(), out);
    }

    private void writeImageFile(Image image) {
        Path file = DirectoryFrameSource.framePath(baseDir, spec.format(), chunkN, chunkFrames);
        if (spec.format() == StoreFormat.NPY) {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
                Npy.write(out, DirectoryFrameSource.toNpy(image));
            } catch (IOException e) {
                throw new ImgStoreException("cannot write " + file.getFileName() + ": " + e.getMessage(), e);
            }
            return;
        }
        Image toWrite = image;
        if (spec.format() == StoreFormat.PPM) {
            toWrite = ImageOps.toBgr(image);
        } else if (spec.format() == StoreFormat.PGM) {
            toWrite = ImageOps.toGray(image);
        }
        ImageCodec.write(file, toWrite);
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
        int target = chunkFrames == 0 ? chunkN - 1 : chunkN;
        try {
            if (maxExtraDataBytesPerChunk != Long.MAX_VALUE) {
                Path file = extraJsonPath(target);
                long existing = Files.isRegularFile(file) ? Files.size(file) : 0;
                long adding = text.getBytes(StandardCharsets.UTF_8).length + 2L;
                if (existing + adding > maxExtraDataBytesPerChunk) {
                    throw new ExtraDataTooLargeException("extra data of chunk " + target + " would grow to "
                            + (existing + adding) + " bytes, more than the limit of " + maxExtraDataBytesPerChunk
                            + " bytes per chunk; not recorded");
                }
            }
            if (extraWriter != null && extraChunk != target) {
                closeExtra();
            }
            if (extraWriter == null) {
                Path file = extraJsonPath(target);
                boolean append = Files.isRegularFile(file) && Files.size(file) > 0;
                if (append) {
                    // reopen a finished chunk's file: drop its closing bracket
                    String old = Files.readString(file, StandardCharsets.UTF_8).strip();
                    Files.writeString(file, old.endsWith("]") ? old.substring(0, old.length() - 1) : old);
                }
                extraWriter = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                extraWriter.write(append ? ", " : "[");
                extraChunk = target;
            } else {
                extraWriter.write(", ");
            }
            extraWriter.write(text);
            extraWriter.flush();
            if (chunkFrames == 0) {
                closeExtra();
            }
        } catch (IOException e) {
            throw new ImgStoreException("cannot write extra data: " + e.getMessage(), e);
        }
    }

    private int extraChunk = -1;
    private volatile long maxExtraDataBytesPerChunk = Long.MAX_VALUE;

    /**
     * Limits the {@code .extra.json} of each chunk to about {@code bytes} (the JSON text of its records):
     * {@link #addExtraData} beyond it throws {@link ExtraDataTooLargeException} and records nothing.
     * Unlimited by default.
     */
    public void setMaxExtraDataBytesPerChunk(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + bytes);
        }
        this.maxExtraDataBytesPerChunk = bytes;
    }

    private Path chunkBase(int chunk) {
        return spec.format().video() ? baseDir.resolve(String.format("%06d", chunk))
                : baseDir.resolve(String.format("%06d", chunk)).resolve("index");
    }

    private Path extraJsonPath(int chunk) {
        Path base = chunkBase(chunk);
        return base.resolveSibling(base.getFileName() + ExtraDataFiles.EXTRA_JSON);
    }

    private void closeExtra() throws IOException {
        if (extraWriter != null) {
            extraWriter.write("]");
            extraWriter.close();
            extraWriter = null;
            extraChunk = -1;
        }
    }

    private void startChunk() {
        try {
            if (!spec.format().video()) {
                Files.createDirectories(baseDir.resolve(String.format("%06d", chunkN)));
            } else {
                video = VideoChunkWriter.create(VideoFrameSource.chunkPath(baseDir, chunkN, spec.format().extension()),
                        spec.format(), shape[0], shape[1], spec.color(), spec.pixelType(), spec.encoder());
            }
        } catch (IOException e) {
            throw new ImgStoreException("cannot create chunk " + chunkN + ": " + e.getMessage(), e);
        }
        journal = Journal.create(chunkBase(chunkN));
        chunkNumbers = new ArrayList<>();
        chunkTimes = new ArrayList<>();
    }

    private void finishChunk() {
        if (video != null) {
            video.close();
            video = null;
        }
        ChunkIndex idx = new ChunkIndex(chunkN, chunkNumbers.stream().mapToLong(Long::longValue).toArray(),
                chunkTimes.stream().mapToDouble(Double::doubleValue).toArray());
        idx.writeNpz(chunkBase(chunkN), storeMetadata);
        if (journal != null) {
            journal.delete();
            journal = null;
        }
        if (extraWriter != null && extraChunk == chunkN) {
            try {
                closeExtra();
            } catch (IOException e) {
                throw new ImgStoreException("cannot finish extra data: " + e.getMessage(), e);
            }
        }
        chunkN++;
        chunkFrames = 0;
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
        if (chunkFrames > 0) {
            finishChunk();
        }
        Path target = VideoFrameSource.chunkPath(baseDir, chunkN, spec.format().extension());
        try {
            if (move) {
                Files.move(videoFile, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.copy(videoFile, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ImgStoreException("cannot adopt " + videoFile.getFileName() + ": " + e.getMessage(), e);
        }
        new ChunkIndex(chunkN, frameNumbers.clone(), frameTimes.clone()).writeNpz(chunkBase(chunkN), storeMetadata);
        frameCount += frameNumbers.length;
        if (frameNumbers.length > 0) {
            lastFrameNumber = frameNumbers[frameNumbers.length - 1];
            lastFrameTime = frameTimes[frameTimes.length - 1];
        }
        chunkN++;
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
        try {
            if (chunkFrames > 0) {
                finishChunk();
            } else if (frameCount == 0) {
                writeEmptyChunkZero();
            }
            closeExtra();
        } catch (IOException e) {
            throw new ImgStoreException("cannot close store: " + e.getMessage(), e);
        } finally {
            closed = true;
            releaseLock(true);
        }
    }

    /** An empty store still has chunk 0 with an empty index, as Python imgstore leaves it. */
    private void writeEmptyChunkZero() throws IOException {
        if (!spec.format().video()) {
            Files.createDirectories(baseDir.resolve("000000"));
        }
        new ChunkIndex(0, new long[0], new double[0]).writeNpz(chunkBase(0), storeMetadata);
    }

    /**
     * Abandons the writer without finishing the open chunk, as a crash would (for tests of
     * {@link #recover}); the {@code .lock} stays.
     */
    void abandon() {
        closed = true;
        if (video != null) {
            video.close();
        }
        if (journal != null) {
            journal.close();
        }
        try {
            if (extraWriter != null) {
                extraWriter.close();
            }
        } catch (IOException ignored) {
            // abandoning
        }
        releaseLock(false);
    }

    private void releaseLock(boolean deleteFile) {
        try {
            lock.release();
            lockChannel.close();
            if (deleteFile) {
                Files.deleteIfExists(baseDir.resolve(".lock"));
            }
        } catch (IOException e) {
            // the lock file is advisory; a leftover .lock is harmless for readers
        } finally {
            OPEN.remove(baseDir.toAbsolutePath().normalize());
        }
    }

    /**
     * Removes every frame written so far and starts again at chunk 0 (imgstore's {@code empty}).
     */
    public void empty() {
        ensureOpen();
        if (video != null) {
            video.close();
            video = null;
        }
        if (journal != null) {
            journal.delete();
            journal = null;
        }
        try {
            if (extraWriter != null) {
                extraWriter.close();
                extraWriter = null;
            }
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
        chunkN = 0;
        chunkFrames = 0;
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
    }

    public Path path() {
        return baseDir;
    }

    public StoreSpec spec() {
        return spec;
    }

    /** The {@code __store} block written. */
    public Map<String, Object> storeMetadata() {
        return java.util.Collections.unmodifiableMap(storeMetadata);
    }

    public long frameCount() {
        return frameCount;
    }

    /** Frames already in finished chunks (readable by any reader, also Python's). */
    public long framesInFinishedChunks() {
        return frameCount - chunkFrames;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Forces the open chunk's journal to disk (the service calls this at least once a second). */
    public void sync() {
        if (journal != null) {
            journal.sync();
        }
    }

    /**
     * imgstore's {@code reindex()}: frame_number 0 becomes the origin, frames before it get -n..-1;
     * the old numbers are kept as {@code _frame_number_before_reindex} in the index and extra data.
     *
     * @throws ImgStoreException unless exactly one frame has number 0
     */
    public static void reindex(Path storePath) {
        Path dir = ImgStore.storeDir(storePath);
        long[] numbers;
        int[] chunks;
        try (ImgStore s = ImgStore.open(dir)) {
            numbers = s.frameMetadata().frameNumbers();
            chunks = s.chunks();
        }
        int zeros = 0;
        int zeroIdx = -1;
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] == 0) {
                zeros++;
                zeroIdx = i;
            }
        }
        if (zeros != 1) {
            throw new ImgStoreException(zeros + " frame_number=0 found (should be 1)");
        }
        long[] renumbered = numbers.clone();
        for (int i = 0; i < zeroIdx; i++) {
            renumbered[i] = i - zeroIdx;
        }
        Map<String, Object> doc = MetadataYaml.read(dir);
        boolean video = !"DirectoryImgStore".equals(((Map<?, ?>) doc.get(MetadataYaml.STORE_KEY)).get("class"));
        int offset = 0;
        for (int chunk : chunks) {
            Path base = video ? dir.resolve(String.format("%06d", chunk)) : dir.resolve(String.format("%06d", chunk)).resolve("index");
            ChunkIndex old = ChunkIndex.load(chunk, base).orElseThrow();
            long[] fresh = java.util.Arrays.copyOfRange(renumbered, offset, offset + old.size());
            Map<String, io.imgstore.format.npy.NpyArray> members = new LinkedHashMap<>();
            members.put("frame_time", io.imgstore.format.npy.NpyArray.ofDoubles(old.frameTimes()));
            members.put("frame_number", io.imgstore.format.npy.NpyArray.ofLongs(fresh));
            members.put("_frame_number_before_reindex", io.imgstore.format.npy.NpyArray.ofLongs(old.frameNumbers()));
            try {
                Files.deleteIfExists(base.resolveSibling(base.getFileName() + ".yaml"));
            } catch (IOException e) {
                throw new ImgStoreException("cannot replace index: " + e.getMessage(), e);
            }
            io.imgstore.format.npy.Npz.write(base.resolveSibling(base.getFileName() + ".npz"), members);
            Path extra = base.resolveSibling(base.getFileName() + ExtraDataFiles.EXTRA_JSON);
            if (Files.isRegularFile(extra)) {
                List<Map<String, Object>> rows = ExtraDataFiles.readJson(extra);
                for (Map<String, Object> r : rows) {
                    if (!(r.get("frame_index") instanceof Number fi)) {
                        throw new ImgStoreException("can not reindex extra-data on old format stores");
                    }
                    r.put("_frame_number_before_reindex", r.get("frame_number"));
                    r.put("frame_number", renumbered[fi.intValue()]);
                }
                try {
                    Files.writeString(extra, JSON.writeValueAsString(rows), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new ImgStoreException("cannot rewrite extra data: " + e.getMessage(), e);
                }
            }
            offset += old.size();
        }
    }
}
