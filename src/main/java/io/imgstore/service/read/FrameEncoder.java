package io.imgstore.service.read;

import io.imgstore.format.Image;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.codec.PngWriter;
import io.imgstore.format.npy.Npy;
import io.imgstore.format.npy.NpyArray;
import io.imgstore.format.npy.NpyImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Component;

/**
 * Pipeline step 4: the bytes sent. PNG keeps gray as gray and 16 bits as 16 bits (8-bit frames by
 * {@link PngWriter}, which deflates only content that pays it back; others by OpenCV); JPEG uses the
 * representation's quality; npy is the array exactly as imgstore returns it (shape {@code [h, w]}
 * or {@code [h, w, 3]}, dtype {@code |u1} or {@code <u2}, BGR), readable with {@code numpy.load}.
 */
@Component
class FrameEncoder {

    byte[] encode(Image image, Representation representation) {
        return apply(image, representation);
    }

    static byte[] apply(Image image, Representation representation) {
        return switch (representation.kind()) {
            case PNG -> PngWriter.supports(image) ? PngWriter.encode(image)
                    : ImageCodec.encode(image, ".png", ImageCodec.DEFAULT_JPEG_QUALITY);
            case JPEG -> ImageCodec.encode(image, ".jpg", representation.quality());
            case NPY -> npy(image);
        };
    }

    /** The frame as {@code numpy.save} writes it, by the library's one npy writer. */
    static byte[] npy(Image image) {
        NpyArray a = NpyImages.toNpy(image);
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.data().length + 128);
        try {
            Npy.write(out, a);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
