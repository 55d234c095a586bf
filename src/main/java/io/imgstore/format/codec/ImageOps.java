package io.imgstore.format.codec;

import io.imgstore.format.Image;

/** Pixel conversions done with OpenCV (imgproc). */
public final class ImageOps {

    private ImageOps() {
    }

    /** BGR to gray as {@code cv2.cvtColor(img, COLOR_BGR2GRAY)}; gray input returned as is. */
    public static Image toGray(Image image) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Gray to 3-channel BGR; colour input returned as is. */
    public static Image toBgr(Image image) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Swaps channels 0 and 2 (BGR to RGB or back); gray returned as is. */
    public static Image swapRedBlue(Image image) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Whether {@link #decodeEncoding} knows this imgstore {@code encoding} value (null/empty: no-op). */
    public static boolean supportsEncoding(String encoding) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Applies an imgstore {@code encoding} to a raw stored frame, as imgstore's
     * {@code ImageCodecProcessor.autoconvert} does on read: {@code cv_bayerbg}, {@code cv_bayergb},
     * {@code cv_bayergr}, {@code cv_bayerrg} (and the other codes it knows) give BGR colour frames.
     * A null or empty encoding returns the image unchanged.
     *
     * @throws io.imgstore.format.UnsupportedFormatException for unknown encodings
     */
    public static Image decodeEncoding(Image raw, String encoding) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Resizes with area interpolation (for thumbnails); keeps channels and depth. */
    public static Image resize(Image image, int width, int height) {
        throw new UnsupportedOperationException("TODO");
    }
}
