package io.imgstore.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A frame's pixels lent for the duration of one call ({@link PixelVisitor}, {@link FrameVisitor}):
 * {@code height} rows of {@code width * channels} samples in {@link Image}'s layout (BGR, 16-bit
 * samples little-endian), {@link #rowStride()} bytes apart from position 0 of {@link #buffer()}.
 *
 * <p>The buffer may be a decoder's own memory: it is valid only until the call returns and must not
 * be kept or written to. Keep a frame with {@link #toImage()}; stream it with {@link #writeTo}.
 * Reading frames this way saves allocating and filling a new array per frame, which a long sequential
 * run of large frames otherwise spends a good part of its time on.
 */
public final class PixelView {

    private final int height;
    private final int width;
    private final int channels;
    private final PixelType pixelType;
    private final ByteBuffer buffer;
    private final int rowStride;

    /**
     * A view of {@code buffer} from position 0.
     *
     * @throws InvalidImageException when the buffer is shorter than the rows need
     */
    public PixelView(int height, int width, int channels, PixelType pixelType, ByteBuffer buffer, int rowStride) {
        if (height <= 0 || width <= 0 || (channels != 1 && channels != 3)) {
            throw new InvalidImageException("pixel view must be positive with 1 or 3 channels, got " + height + "x"
                    + width + "x" + channels);
        }
        this.pixelType = Objects.requireNonNull(pixelType, "pixelType");
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.rowStride = rowStride;
        long rowBytes = (long) width * channels * pixelType.bytes();
        if (rowStride < rowBytes || (long) rowStride * (height - 1) + rowBytes > buffer.capacity()) {
            throw new InvalidImageException("pixel view of " + height + " rows of " + rowBytes + " bytes, "
                    + rowStride + " apart, does not fit a buffer of " + buffer.capacity() + " bytes");
        }
        this.buffer = buffer.duplicate().clear();
    }

    /** A view of an image's own array. */
    public static PixelView of(Image image) {
        return new PixelView(image.height(), image.width(), image.channels(), image.pixelType(),
                ByteBuffer.wrap(image.data()), image.width() * image.channels() * image.pixelType().bytes());
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    public PixelType pixelType() {
        return pixelType;
    }

    /** Shape as numpy would report it: {@code [h, w]} or {@code [h, w, 3]}. */
    public int[] shape() {
        return channels == 1 ? new int[] {height, width} : new int[] {height, width, channels};
    }

    /** Bytes of one row's samples (without the padding up to {@link #rowStride()}). */
    public int rowBytes() {
        return width * channels * pixelType.bytes();
    }

    /** Bytes of all the pixels without row padding: {@code height * rowBytes()}. */
    public int byteCount() {
        return Math.multiplyExact(height, rowBytes());
    }

    /** Bytes from the start of one row to the start of the next in {@link #buffer()}. */
    public int rowStride() {
        return rowStride;
    }

    /** The pixels: a read-only duplicate from position 0, valid only during the call that lent this view. */
    public ByteBuffer buffer() {
        return buffer.asReadOnlyBuffer();
    }

    /** Copies the pixels without row padding into {@code dst} from {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        Objects.checkFromIndexSize(offset, byteCount(), dst.length);
        int rowBytes = rowBytes();
        if (rowStride == rowBytes) {
            buffer.get(0, dst, offset, byteCount());
            return;
        }
        for (int y = 0; y < height; y++) {
            buffer.get(y * rowStride, dst, offset + y * rowBytes, rowBytes);
        }
    }

    /** The pixels copied into an {@link Image} of their own. */
    public Image toImage() {
        byte[] data = new byte[byteCount()];
        copyTo(data, 0);
        return new Image(height, width, channels, pixelType, data);
    }

    /**
     * Writes the pixels without row padding to {@code out}: straight from the array of a view of an
     * image, else through {@code scratch} (any length; a few hundred KB keeps the copy in cache).
     */
    public void writeTo(OutputStream out, byte[] scratch) throws IOException {
        int rowBytes = rowBytes();
        if (buffer.hasArray() && rowStride == rowBytes) {
            out.write(buffer.array(), buffer.arrayOffset(), byteCount());
            return;
        }
        if (scratch.length == 0) {
            throw new IllegalArgumentException("scratch buffer is empty");
        }
        int fill = 0;
        for (int y = 0; y < height; y++) {
            int done = 0;
            while (done < rowBytes) {
                int n = Math.min(rowBytes - done, scratch.length - fill);
                buffer.get(y * rowStride + done, scratch, fill, n);
                fill += n;
                done += n;
                if (fill == scratch.length) {
                    out.write(scratch, 0, fill);
                    fill = 0;
                }
            }
        }
        if (fill > 0) {
            out.write(scratch, 0, fill);
        }
    }
}
