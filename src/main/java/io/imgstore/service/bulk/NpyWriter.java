package io.imgstore.service.bulk;

import io.imgstore.format.FrameInfo;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.PixelType;
import io.imgstore.format.PixelView;
import io.imgstore.format.npy.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One npy array {@code (n, h, w[, 3])} written as the frames are decoded: the header (which needs
 * {@code n}) first, from the selection's size, then each frame's samples.
 */
final class NpyWriter implements FrameWriter {

    private final OutputStream out;
    private final int count;
    private final int[] frameShape;
    private final PixelType pixelType;
    private final byte[] scratch = new byte[SCRATCH_BYTES];
    private int written;

    NpyWriter(OutputStream out, int count, int[] frameShape, PixelType pixelType) {
        this.out = out;
        this.count = count;
        this.frameShape = frameShape.clone();
        this.pixelType = pixelType;
    }

    /** The header's bytes for this stack. */
    static byte[] header(int count, int[] frameShape, PixelType pixelType) {
        int[] shape = new int[frameShape.length + 1];
        shape[0] = count;
        System.arraycopy(frameShape, 0, shape, 1, frameShape.length);
        return Npy.header(FrameWriter.descr(pixelType), shape);
    }

    /** Bytes of the whole answer: header plus {@code count} frames. */
    static long length(int count, int[] frameShape, PixelType pixelType) {
        long frameBytes = pixelType.bytes();
        for (int d : frameShape) {
            frameBytes *= d;
        }
        return header(count, frameShape, pixelType).length + frameBytes * count;
    }

    @Override
    public void begin() throws IOException {
        out.write(header(count, frameShape, pixelType));
    }

    @Override
    public void frame(FrameInfo info, PixelView pixels) throws IOException {
        if (!Arrays.equals(pixels.shape(), frameShape) || pixels.pixelType() != pixelType) {
            throw new ImgStoreException("frame index " + info.frameIndex() + " has shape "
                    + Arrays.toString(pixels.shape()) + ", not the store's " + Arrays.toString(frameShape));
        }
        pixels.writeTo(out, scratch);
        written++;
    }

    @Override
    public void end() throws IOException {
        if (written != count) {
            throw new IllegalStateException(written + " frames written, header says " + count);
        }
        out.flush();
    }
}
