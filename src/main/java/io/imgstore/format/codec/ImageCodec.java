package io.imgstore.format.codec;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/** Still-image files (png, jpg, tif, bmp, ppm, pgm) through OpenCV's imgcodecs. */
public final class ImageCodec {

    /** imgstore's jpeg quality ({@code cv2.IMWRITE_JPEG_QUALITY}) for DirectoryImgStore. */
    public static final int DEFAULT_JPEG_QUALITY = 95;

    private static final Set<String> EXTENSIONS = Set.of(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".ppm",
            ".pgm");

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
        if (encoded == null || encoded.length == 0) {
            throw new CorruptStoreException("cannot decode image: no data (empty file)");
        }
        int flags = IMREAD_ANYDEPTH | (color ? IMREAD_COLOR : IMREAD_GRAYSCALE);
        try (PointerScope scope = new PointerScope()) {
            Mat buf = new Mat(1, encoded.length, CV_8UC1);
            buf.data().put(encoded, 0, encoded.length);
            Mat decoded;
            try {
                decoded = imdecode(buf, flags);
            } catch (RuntimeException e) {
                throw new CorruptStoreException("cannot decode image (" + encoded.length + " bytes, "
                        + describeHeader(encoded) + "): " + e.getMessage(), e);
            }
            if (decoded == null || decoded.empty()) {
                throw new CorruptStoreException("cannot decode image (" + encoded.length + " bytes, "
                        + describeHeader(encoded) + "): not a readable png/jpg/tif/bmp/ppm/pgm image, or truncated");
            }
            return Mats.toImage(decoded);
        }
    }

    /** Reads and decodes an image file; see {@link #decode(byte[], boolean)}. */
    public static Image read(Path file, boolean color) {
        return read(file, color, -1, -1);
    }

    /**
     * Reads and decodes an image file that must be {@code height x width} (-1: any size): a PNG or JPEG
     * whose header declares another size is refused before it is decoded.
     */
    public static Image read(Path file, boolean color, int height, int width) {
        return read(StoreFiles.LOCAL, file, color, height, width);
    }

    /**
     * As {@link #read(Path, boolean, int, int)}, the bytes read through {@code files} (OpenCV decodes
     * them from memory, {@code imdecode}, for every storage).
     */
    public static Image read(StoreFiles files, Path file, boolean color, int height, int width) {
        byte[] bytes;
        try {
            long size = files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new CorruptStoreException(file + ": image file too large (" + size + " bytes)");
            }
            bytes = files.read(file);
        } catch (NoSuchFileException e) {
            throw new FrameNotFoundException("image file not found: " + file, e);
        } catch (IOException e) {
            throw new ImgStoreException("cannot read image file " + file + ": " + e, e);
        }
        if (height > 0 && width > 0) {
            int[] wh = EncodedImages.dimensions(bytes);
            if (wh != null && (wh[0] != width || wh[1] != height)) {
                throw new CorruptStoreException(file + ": image of " + wh[0] + "x" + wh[1] + " (width x height) in a store"
                        + " of " + width + "x" + height + " frames");
            }
        }
        try {
            return decode(bytes, color);
        } catch (CorruptStoreException e) {
            throw new CorruptStoreException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Encodes an image as {@code cv2.imencode} would for the extension ({@code .png}, {@code .jpg},
     * {@code .tif}, {@code .bmp}, {@code .ppm}, {@code .pgm}). 16-bit is kept where the format can hold it.
     *
     * @param jpegQuality 1..100, used for {@code .jpg} only (imgstore's default is 95)
     */
    public static byte[] encode(Image image, String extension, int jpegQuality) {
        String ext = normalizeExtension(extension);
        if (ext.equals(".jpg") || ext.equals(".jpeg")) {
            if (jpegQuality < 1 || jpegQuality > 100) {
                throw new IllegalArgumentException("jpeg quality must be 1..100, got " + jpegQuality);
            }
        }
        try (PointerScope scope = new PointerScope()) {
            Mat mat = Mats.toMat(image);
            boolean jpeg = ext.equals(".jpg") || ext.equals(".jpeg");
            BytePointer out = new BytePointer();
            boolean ok;
            try {
                ok = jpeg ? imencode(ext, mat, out, new IntPointer(IMWRITE_JPEG_QUALITY, jpegQuality))
                        : imencode(ext, mat, out);
            } catch (RuntimeException e) {
                throw new InvalidImageException("cannot encode " + image + " as " + ext + ": " + e.getMessage(), e);
            }
            if (!ok) {
                throw new InvalidImageException("cannot encode " + image + " as " + ext);
            }
            byte[] bytes = new byte[Math.toIntExact(out.limit())];
            out.get(bytes);
            out.close();
            return bytes;
        }
    }

    /** Encodes and writes an image file, format from the file's extension, as {@code cv2.imwrite}. */
    public static void write(Path file, Image image) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw new UnsupportedFormatException("cannot tell the image format of '" + file + "': no extension");
        }
        byte[] bytes = encode(image, name.substring(dot), DEFAULT_JPEG_QUALITY);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new ImgStoreException("cannot write image file " + file + ": " + e, e);
        }
    }

    private static String normalizeExtension(String extension) {
        String ext = extension == null ? "" : extension.trim().toLowerCase(Locale.ROOT);
        if (!ext.startsWith(".")) {
            ext = "." + ext;
        }
        if (!EXTENSIONS.contains(ext)) {
            throw new UnsupportedFormatException("unsupported image file type '" + extension
                    + "' (supported: png, jpg, tif, bmp, ppm, pgm)");
        }
        return ext;
    }

    /** A short description of the first bytes, for error messages. */
    private static String describeHeader(byte[] b) {
        StringBuilder sb = new StringBuilder("starts with");
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format(" %02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
