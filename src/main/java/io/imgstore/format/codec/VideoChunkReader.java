package io.imgstore.format.codec;

import io.imgstore.format.Image;
import java.nio.file.Path;

/**
 * Frame-exact reads from one video chunk file. Not thread-safe: one reader per thread at a time
 * (callers pool them). Holds native FFmpeg state until {@link #close()}.
 */
public final class VideoChunkReader implements AutoCloseable {

    private VideoChunkReader() {
    }

    /**
     * Opens a chunk file (mp4, avi, mkv; any codec FFmpeg decodes).
     *
     * @param color true: frames are returned as 3-channel BGR, false: as 1-channel gray
     * @throws io.imgstore.format.CorruptStoreException if the file cannot be opened or has no video stream
     */
    public static VideoChunkReader open(Path file, boolean color) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Number of frames in the file (from demuxing, not from container metadata guesses). */
    public int frameCount() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The frame at position {@code frameIdx} (0-based, presentation order) of this chunk, exactly:
     * seeks to a keyframe at or before it, decodes forward, and verifies the position.
     * Reading {@code frameIdx = last + 1} after a read is a cheap sequential step.
     *
     * @throws io.imgstore.format.FrameNotFoundException if the file has fewer frames
     * @throws io.imgstore.format.CorruptStoreException  if decoding fails (truncated file, ...)
     */
    public Image read(int frameIdx) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }
}
