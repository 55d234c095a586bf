package io.imgstore.format.internal;

import io.imgstore.format.Image;
import io.imgstore.format.PixelView;
import io.imgstore.format.PixelVisitor;
import java.io.IOException;

/** Reads raw stored frames (before any imgstore {@code encoding} is applied) by chunk and position. */
public interface FrameSource extends AutoCloseable {

    /** The raw frame at {@code position} of {@code chunk}. Thread-safe. */
    Image read(int chunk, int position);

    /**
     * A reader for one thread reading frames in ascending order: a video source keeps one decoder
     * positioned for it (the next frame is a sequential step, never a seek, and no other reader moves
     * it). Close it to give the decoder back.
     */
    default Cursor cursor() {
        return new Cursor() {
            @Override
            public Image read(int chunk, int position) {
                return FrameSource.this.read(chunk, position);
            }

            @Override
            public void close() {
            }
        };
    }

    /** See {@link #cursor()}. Not thread-safe. */
    interface Cursor extends AutoCloseable {
        Image read(int chunk, int position);

        /**
         * The raw frame lent to {@code visitor}: a video source's decoder output in place, any
         * other source's image.
         */
        default <T> T read(int chunk, int position, PixelVisitor<T> visitor) throws IOException {
            return visitor.visit(PixelView.of(read(chunk, position)));
        }

        @Override
        void close();
    }

    /** Releases open files and native decoders; reads in progress finish first. */
    @Override
    void close();
}
