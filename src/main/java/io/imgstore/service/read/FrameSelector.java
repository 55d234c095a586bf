package io.imgstore.service.read;

/** Which frame a request names. */
sealed interface FrameSelector {

    /** The frame with this frame number; the nearest number when not {@code exact}. */
    record ByNumber(long number, boolean exact) implements FrameSelector {
    }

    /** The frame at this position in the store (0 .. frame_count-1). */
    record ByIndex(long index) implements FrameSelector {
    }

    /** The frame whose frame_time is nearest to this time (seconds since the epoch). */
    record ByTime(double seconds) implements FrameSelector {
    }
}
