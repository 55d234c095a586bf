package io.imgstore.format;

/**
 * imgstore's {@code get_frame_metadata()}: frame numbers and times of every frame, in index order.
 *
 * @param frameNumbers frame number per frame index
 * @param frameTimes   frame time per frame index
 */
public record FrameMetadata(long[] frameNumbers, double[] frameTimes) {

    public int size() {
        return frameNumbers.length;
    }
}
