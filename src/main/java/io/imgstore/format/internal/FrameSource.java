package io.imgstore.format.internal;

import io.imgstore.format.Image;

/** Reads raw stored frames (before any imgstore {@code encoding} is applied) by chunk and position. */
public interface FrameSource extends AutoCloseable {

    /** The raw frame at {@code position} of {@code chunk}. Thread-safe. */
    Image read(int chunk, int position);

    /** Releases open files and native decoders; reads in progress finish first. */
    @Override
    void close();
}
