package io.imgstore.format;

import java.io.IOException;

/**
 * Takes a frame's pixels for the duration of one call; see {@link PixelView} for what may be kept.
 *
 * @param <T> what the visit returns
 */
@FunctionalInterface
public interface PixelVisitor<T> {

    /** Uses the pixels; the view is valid only until this returns. */
    T visit(PixelView pixels) throws IOException;
}
