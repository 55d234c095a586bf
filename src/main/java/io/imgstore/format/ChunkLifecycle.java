package io.imgstore.format;

import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.codec.ImageOps;
import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.internal.ChunkIndex;
import io.imgstore.format.internal.Journal;
import io.imgstore.format.npy.NpyImages;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chunks of a store being written: opening a chunk (its folder or video file and its journal),
 * writing its frames, and finishing it (video closed, index written, journal removed).
 * Package-private: part of {@link ImgStoreWriter}.
 */
final class ChunkLifecycle {

    private static final long SYNC_INTERVAL_NANOS = 1_000_000_000L;

    private final StoreLayout layout;
    private final StoreSpec spec;
    private final int[] shape;
    private final Map<String, Object> storeMetadata;

    private int chunkN;
    private int chunkFrames;
    private List<Long> chunkNumbers = new ArrayList<>();
    private List<Double> chunkTimes = new ArrayList<>();
    private VideoChunkWriter video;
    private Journal journal;
    private long lastSync = System.nanoTime();

    ChunkLifecycle(StoreLayout layout, StoreSpec spec, Map<String, Object> storeMetadata, int firstChunk) {
        this.layout = layout;
        this.spec = spec;
        this.shape = spec.writtenShape();
        this.storeMetadata = storeMetadata;
        this.chunkN = firstChunk;
    }

    /** The chunk the next frame goes to. */
    int current() {
        return chunkN;
    }

    /** Frames in the open chunk (0: none open). */
    int framesInOpenChunk() {
        return chunkFrames;
    }

    boolean isFull() {
        return chunkFrames == spec.chunksize();
    }

    /** Writes a frame to the open chunk (opening one first when none is) and journals it. */
    void add(Image image, long frameNumber, double frameTime) {
        if (chunkFrames == 0) {
            start();
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
        Path file = layout.frameFile(chunkN, chunkFrames);
        if (spec.format() == StoreFormat.NPY) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                NpyImages.write(out, image);
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

    private void start() {
        try {
            if (!spec.format().video()) {
                Files.createDirectories(layout.chunkFolder(chunkN));
            } else {
                video = VideoChunkWriter.create(layout.videoChunkFile(chunkN), spec.format(), shape[0], shape[1],
                        spec.color(), spec.pixelType(), spec.encoder());
            }
        } catch (IOException e) {
            throw new ImgStoreException("cannot create chunk " + chunkN + ": " + e.getMessage(), e);
        }
        journal = Journal.create(layout.indexBase(chunkN));
        chunkNumbers = new ArrayList<>();
        chunkTimes = new ArrayList<>();
    }

    /**
     * Finishes the open chunk: video closed, index written, journal removed; the next frame goes to
     * a new chunk.
     *
     * @return the number of the finished chunk
     */
    int finish() {
        if (video != null) {
            video.close();
            video = null;
        }
        ChunkIndex idx = new ChunkIndex(chunkN, chunkNumbers.stream().mapToLong(Long::longValue).toArray(),
                chunkTimes.stream().mapToDouble(Double::doubleValue).toArray());
        idx.writeNpz(layout.indexBase(chunkN), storeMetadata);
        if (journal != null) {
            journal.delete();
            journal = null;
        }
        int finished = chunkN;
        chunkN++;
        chunkFrames = 0;
        return finished;
    }

    /**
     * Adopts a video file as the next chunk: moved (or copied) into the store, its index written
     * from the given numbers and times. No chunk may be open.
     */
    void adoptVideo(Path videoFile, long[] frameNumbers, double[] frameTimes, boolean move) {
        Path target = layout.videoChunkFile(chunkN);
        try {
            if (move) {
                Files.move(videoFile, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.copy(videoFile, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ImgStoreException("cannot adopt " + videoFile.getFileName() + ": " + e.getMessage(), e);
        }
        new ChunkIndex(chunkN, frameNumbers.clone(), frameTimes.clone()).writeNpz(layout.indexBase(chunkN), storeMetadata);
        chunkN++;
    }

    /** An empty store still has chunk 0 with an empty index, as Python imgstore leaves it. */
    void writeEmptyChunkZero() throws IOException {
        if (!spec.format().video()) {
            Files.createDirectories(layout.chunkFolder(0));
        }
        new ChunkIndex(0, new long[0], new double[0]).writeNpz(layout.indexBase(0), storeMetadata);
    }

    /** Forces the open chunk's journal to disk. */
    void sync() {
        if (journal != null) {
            journal.sync();
        }
    }

    /** Closes the open chunk's files without finishing it, as a crash would (journal kept). */
    void abandon() {
        if (video != null) {
            video.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    /** Drops the open chunk (journal deleted) and starts again at chunk 0; the caller deletes the files. */
    void discardAll() {
        if (video != null) {
            video.close();
            video = null;
        }
        if (journal != null) {
            journal.delete();
            journal = null;
        }
    }

    /** After the chunk files were deleted: the next frame goes to chunk 0. */
    void restartAtZero() {
        chunkN = 0;
        chunkFrames = 0;
    }
}
