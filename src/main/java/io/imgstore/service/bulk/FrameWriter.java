package io.imgstore.service.bulk;

import io.imgstore.format.FrameInfo;
import io.imgstore.format.FrameTimes;
import io.imgstore.format.PixelType;
import io.imgstore.format.PixelView;
import java.io.IOException;

/** Writes the frames of one bulk answer as they are decoded: one frame in memory at a time. */
interface FrameWriter {

    /** Before the first frame (headers known from the index: count, numbers, times). */
    void begin() throws IOException;

    /**
     * One frame's entry and pixels; the pixels may be a decoder's memory, valid only during the call
     * (written through a small scratch array, no per-frame array).
     */
    void frame(FrameInfo info, PixelView pixels) throws IOException;

    /** Bytes copied at a time from a frame's pixels to the response. */
    int SCRATCH_BYTES = 256 * 1024;

    /** After the last frame. */
    void end() throws IOException;

    /** numpy's descr of a pixel type: {@code |u1} or {@code <u2} (16-bit samples are little-endian). */
    static String descr(PixelType t) {
        return t == PixelType.UINT8 ? "|u1" : "<u2";
    }

    /** A frame time in JSON: {@link FrameTimes#format}, {@code null} when not finite. */
    static String time(double t) {
        return Double.isFinite(t) ? FrameTimes.format(t) : "null";
    }
}
