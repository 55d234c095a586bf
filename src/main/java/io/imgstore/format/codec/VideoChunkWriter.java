package io.imgstore.format.codec;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import java.nio.file.Path;

/**
 * Writes one video chunk file with constant-frame-rate timestamps (25 fps, as imgstore), so that
 * OpenCV's own frame seeking lands on the right frame. Holds native FFmpeg state until {@link #close()}.
 */
public final class VideoChunkWriter implements AutoCloseable {

    private VideoChunkWriter() {
    }

    /**
     * Creates the file and the encoder.
     *
     * @param format one of {@link StoreFormat#MJPEG_AVI}, {@link StoreFormat#H264_MKV}, {@link StoreFormat#AVC1_MP4}
     * @param height frame height, must be even
     * @param width  frame width, must be even
     * @param color  whether frames handed to {@link #write} are 3-channel BGR (else 1-channel gray)
     * @throws io.imgstore.format.UnsupportedFormatException if this build has no encoder for the format
     */
    public static VideoChunkWriter create(Path file, StoreFormat format, int height, int width, boolean color,
                                          PixelType pixelType, VideoEncoderSettings settings) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Encodes one frame; its size must be the writer's. */
    public void write(Image image) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Frames written so far. */
    public int frameCount() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Flushes the encoder, finishes the container and releases native memory. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }
}
