package io.imgstore.format;

/**
 * Where a frame sits in a store.
 *
 * @param frameNumber the number the recording rig gave the frame (any integer, may repeat after a counter wrap)
 * @param frameIndex  the frame's position in the store, 0 .. frame_count-1
 * @param frameTime   the frame's timestamp, seconds since the epoch as recorded
 */
public record FrameInfo(long frameNumber, long frameIndex, double frameTime) {
}
