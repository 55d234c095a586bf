package io.imgstore.testing;

import io.imgstore.format.FrameBarcode;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;

/** Test-side name for {@link FrameBarcode}: draw and decode the frame-number barcode. */
public final class Barcode {

    private Barcode() {
    }

    public static Image draw(long value, int height, int width, int channels, PixelType type) {
        return FrameBarcode.draw(value, height, width, channels, type);
    }

    public static int decode(Image img) {
        return FrameBarcode.decode(img);
    }

    public static int expected(long frameNumber) {
        return FrameBarcode.expected(frameNumber);
    }
}
