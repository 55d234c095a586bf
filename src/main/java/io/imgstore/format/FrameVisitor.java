package io.imgstore.format;

import java.io.IOException;

/**
 * Takes a frame (its index entry and its pixels) for the duration of one call
 * ({@link ImgStore.SequentialReader#read(long, FrameVisitor)}); see {@link PixelView} for what may be kept.
 *
 * @param <T> what the visit returns
 */
@FunctionalInterface
public interface FrameVisitor<T> {

    /** Uses the frame; the pixel view is valid only until this returns. */
    T visit(FrameInfo info, PixelView pixels) throws IOException;
}
