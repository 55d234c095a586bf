package io.imgstore.service.ingest;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.npy.Npy;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import org.springframework.http.MediaType;

/** Encodes a frame for a response: png (lossless, keeps 16-bit), jpeg (8-bit) or npy (exact). */
final class FrameEncoding {

    static final MediaType NPY = MediaType.parseMediaType("application/x-npy");

    private FrameEncoding() {
    }

    /** The media type for a {@code format} query value or an Accept header; png by default. */
    static MediaType choose(String format, String accept) {
        String f = format == null ? "" : format.toLowerCase(Locale.ROOT);
        switch (f) {
            case "png":
                return MediaType.IMAGE_PNG;
            case "jpg", "jpeg":
                return MediaType.IMAGE_JPEG;
            case "npy":
                return NPY;
            case "":
                break;
            default:
                throw new IllegalArgumentException("unknown format '" + format + "' (png, jpeg, npy)");
        }
        if (accept != null) {
            for (MediaType m : MediaType.parseMediaTypes(accept)) {
                if (m.isCompatibleWith(MediaType.IMAGE_PNG) && !m.isWildcardSubtype()) {
                    return MediaType.IMAGE_PNG;
                }
                if (m.isCompatibleWith(MediaType.IMAGE_JPEG) && !m.isWildcardSubtype()) {
                    return MediaType.IMAGE_JPEG;
                }
                if (m.isCompatibleWith(NPY) && !m.isWildcardType()) {
                    return NPY;
                }
            }
        }
        return MediaType.IMAGE_PNG;
    }

    static byte[] encode(Image image, MediaType type, int jpegQuality) {
        if (type.equals(MediaType.IMAGE_JPEG)) {
            return jpeg(image, jpegQuality);
        }
        if (type.equals(NPY)) {
            // as np.save of the frame: |u1 or <u2, C order
            byte[] header = Npy.header(image.pixelType() == PixelType.UINT8 ? "|u1" : "<u2", image.shape());
            ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + image.data().length);
            out.writeBytes(header);
            out.writeBytes(image.data());
            return out.toByteArray();
        }
        return ImageCodec.encode(image, ".png", 95);
    }

    /** JPEG of an image, 16-bit scaled down to 8-bit. */
    static byte[] jpeg(Image image, int quality) {
        return ImageCodec.encode(to8bit(image), ".jpg", quality);
    }

    static Image to8bit(Image image) {
        if (image.pixelType() == PixelType.UINT8) {
            return image;
        }
        byte[] src = image.data();
        byte[] out = new byte[src.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = src[2 * i + 1]; // little-endian: the high byte
        }
        return new Image(image.height(), image.width(), image.channels(), PixelType.UINT8, out);
    }
}
