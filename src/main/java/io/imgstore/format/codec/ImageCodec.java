package io.imgstore.format.codec;

import io.imgstore.format.Image;
import java.nio.file.Path;

/** Still-image files (png, jpg, tif, bmp, ppm, pgm) through OpenCV's imgcodecs. */
public final class ImageCodec {

    private ImageCodec() {
    }

    /**
     * Decodes an encoded image, keeping its bit depth (8 or 16 bit).
     *
     * @param color true: return 3-channel BGR (gray files are expanded), false: 1-channel gray
     *              (colour files are converted as {@code cv2.IMREAD_GRAYSCALE} does)
     * @throws io.imgstore.format.CorruptStoreException when the bytes are not a decodable image
     */
    public static Image decode(byte[] encoded, boolean color) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Reads and decodes an image file; see {@link #decode(byte[], boolean)}. */
    public static Image read(Path file, boolean color) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Encodes an image as {@code cv2.imencode} would for the extension ({@code .png}, {@code .jpg},
     * {@code .tif}, {@code .bmp}, {@code .ppm}, {@code .pgm}). 16-bit is kept where the format can hold it.
     *
     * @param jpegQuality 1..100, used for {@code .jpg} only (imgstore's default is 95)
     */
    public static byte[] encode(Image image, String extension, int jpegQuality) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Encodes and writes an image file, format from the file's extension, as {@code cv2.imwrite}. */
    public static void write(Path file, Image image) {
        throw new UnsupportedOperationException("TODO");
    }
}
