package io.imgstore.service.read;

import io.imgstore.format.Image;
import io.imgstore.service.web.BadRequestException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

/**
 * The read pipeline's negotiation and encoding for frames that do not come through
 * {@link FrameService} (the newest frame of a store being written, the live view): the one content
 * negotiation ({@code ?format=}, then the {@code Accept} header with RFC 9110 q values) and the one
 * encoder (16-bit reduced to 8 for JPEG, npy by the library's writer) of every frame the service sends.
 */
public final class FrameRendering {

    private FrameRendering() {
    }

    /**
     * The representation for {@code ?format=} or {@code Accept} (PNG when both are silent), full size.
     *
     * @param jpegQuality quality used when JPEG is chosen
     * @throws BadRequestException                 for an unknown format or a malformed Accept header
     * @throws HttpMediaTypeNotAcceptableException when {@code Accept} allows none of png, jpeg, npy
     */
    public static Representation negotiate(String format, String accept, int jpegQuality)
            throws HttpMediaTypeNotAcceptableException {
        Representation.Kind kind = format != null && !format.isBlank() ? RepresentationResolver.byName(format)
                : RepresentationResolver.byAccept(accept);
        return new Representation(kind, kind == Representation.Kind.JPEG ? jpegQuality : 0, 0, 0);
    }

    /** The bytes of {@code frame} in {@code representation}: converted (resized, 8-bit for JPEG), then encoded. */
    public static byte[] render(Image frame, Representation representation) {
        return FrameEncoder.apply(FrameConverter.apply(frame, representation), representation);
    }

    /** JPEG of a frame (16-bit reduced to 8-bit). */
    public static byte[] jpeg(Image frame, int quality) {
        return render(frame, new Representation(Representation.Kind.JPEG, quality, 0, 0));
    }

    /** The service's one 16 to 8-bit reduction (the high byte of each sample). */
    public static Image toUint8(Image image) {
        return image.pixelType() == io.imgstore.format.PixelType.UINT8 ? image : FrameConverter.toUint8(image);
    }
}
