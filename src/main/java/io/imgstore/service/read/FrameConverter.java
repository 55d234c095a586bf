package io.imgstore.service.read;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.codec.ImageOps;
import org.springframework.stereotype.Component;

/**
 * Pipeline step 3: the decoded frame (imgstore's layout: BGR, uint8/uint16) made ready for its
 * representation: resized when asked, and reduced to 8 bits for JPEG (which has no 16-bit form).
 * Colour stays in BGR order here: the PNG/JPEG encoders (OpenCV's, as {@code cv2.imencode}) take
 * BGR and write the files' RGB; npy keeps imgstore's BGR by design.
 */
@Component
class FrameConverter {

    Image convert(Image frame, Representation representation) {
        return apply(frame, representation);
    }

    static Image apply(Image frame, Representation representation) {
        Image out = frame;
        int[] size = representation.targetSize(frame.width(), frame.height());
        if (size[0] != frame.width() || size[1] != frame.height()) {
            out = ImageOps.resize(out, size[0], size[1]);
        }
        if (representation.kind() == Representation.Kind.JPEG && out.pixelType() == PixelType.UINT16) {
            out = toUint8(out);
        }
        return out;
    }

    /** 16 to 8 bits by keeping the high byte of each sample (full range maps to full range). */
    static Image toUint8(Image image) {
        return image.toEightBit();
    }
}
