package io.imgstore.format.codec;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.UnsupportedFormatException;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * {@link Image} to and from OpenCV {@link Mat}, by copy. Every Mat returned here owns its memory;
 * the caller closes it (or creates it inside a {@link org.bytedeco.javacpp.PointerScope}).
 */
final class Mats {

    static {
        // Image keeps 16-bit samples little-endian and Mats hold them in native order: a plain byte
        // copy is only right on little-endian machines (every platform JavaCV ships for today).
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("imgstore-java's codec package needs a little-endian platform");
        }
    }

    private Mats() {
    }

    /** OpenCV type of an image: CV_8UC1/3 or CV_16UC1/3. */
    static int cvType(PixelType pixelType, int channels) {
        return pixelType == PixelType.UINT8 ? CV_8UC(channels) : CV_16UC(channels);
    }

    /** A new continuous Mat holding a copy of the image. */
    static Mat toMat(Image image) {
        Mat mat = new Mat(image.height(), image.width(), cvType(image.pixelType(), image.channels()));
        mat.data().put(image.data(), 0, image.data().length);
        return mat;
    }

    /**
     * Copies a Mat (8 or 16 bit, 1 or 3 channels) into a new image.
     *
     * @throws UnsupportedFormatException for other depths or channel counts
     */
    static Image toImage(Mat mat) {
        int depth = mat.depth();
        PixelType type;
        if (depth == CV_8U) {
            type = PixelType.UINT8;
        } else if (depth == CV_16U) {
            type = PixelType.UINT16;
        } else {
            throw new UnsupportedFormatException("unsupported image depth (OpenCV depth " + depth
                    + "); only 8-bit and 16-bit unsigned images are supported");
        }
        int channels = mat.channels();
        if (channels != 1 && channels != 3) {
            throw new UnsupportedFormatException("unsupported number of channels: " + channels + " (1 or 3 supported)");
        }
        int rows = mat.rows();
        int cols = mat.cols();
        int rowBytes = cols * channels * type.bytes();
        byte[] data = new byte[Math.multiplyExact(rows, rowBytes)];
        BytePointer p = mat.data();
        if (mat.isContinuous()) {
            p.position(0).get(data, 0, data.length);
        } else {
            long step = mat.step();
            for (int r = 0; r < rows; r++) {
                p.position(r * step).get(data, r * rowBytes, rowBytes);
            }
            p.position(0);
        }
        return new Image(rows, cols, channels, type, data);
    }
}
