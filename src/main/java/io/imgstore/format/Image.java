package io.imgstore.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image in imgstore's own layout: C order (row, column, channel), colour in BGR order as
 * OpenCV and imgstore use it, 16-bit samples little-endian. Pure Java memory: an {@code Image}
 * never holds native resources, so it can be kept, cached and shared freely.
 *
 * <p>The data array is owned by the image; callers must not modify it after construction.
 */
public final class Image {

    private final int height;
    private final int width;
    private final int channels;
    private final PixelType pixelType;
    private final byte[] data;

    public Image(int height, int width, int channels, PixelType pixelType, byte[] data) {
        if (height <= 0 || width <= 0) {
            throw new InvalidImageException("image size must be positive, got " + height + "x" + width);
        }
        if (channels != 1 && channels != 3) {
            throw new InvalidImageException("image must have 1 or 3 channels, got " + channels);
        }
        this.pixelType = Objects.requireNonNull(pixelType, "pixelType");
        long expected = (long) height * width * channels * pixelType.bytes();
        if (data.length != expected) {
            throw new InvalidImageException("image data has " + data.length + " bytes, expected " + expected
                    + " for " + height + "x" + width + "x" + channels + " " + pixelType.dtype());
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.data = data;
    }

    /** A zero-filled image. */
    public static Image blank(int height, int width, int channels, PixelType pixelType) {
        return new Image(height, width, channels, pixelType,
                new byte[Math.multiplyExact(Math.multiplyExact(height, width), channels * pixelType.bytes())]);
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

    public boolean isColor() {
        return channels == 3;
    }

    public PixelType pixelType() {
        return pixelType;
    }

    /** The raw samples; see the class comment for the layout. Do not modify. */
    public byte[] data() {
        return data;
    }

    /** imgstore's shape: {@code [h, w]} for gray, {@code [h, w, 3]} for colour. */
    public int[] shape() {
        return channels == 1 ? new int[] {height, width} : new int[] {height, width, channels};
    }

    /** The sample at row {@code y}, column {@code x}, channel {@code c} (0 = B for colour). */
    public int sample(int y, int x, int c) {
        int i = ((y * width + x) * channels + c);
        if (pixelType == PixelType.UINT8) {
            return data[i] & 0xff;
        }
        int b = i * 2;
        return (data[b] & 0xff) | ((data[b + 1] & 0xff) << 8);
    }

    /** Sets a sample; only for code that builds a fresh image it owns. */
    public void setSample(int y, int x, int c, int value) {
        int i = ((y * width + x) * channels + c);
        if (pixelType == PixelType.UINT8) {
            data[i] = (byte) value;
        } else {
            data[i * 2] = (byte) value;
            data[i * 2 + 1] = (byte) (value >>> 8);
        }
    }

    /**
     * This image with 8-bit samples: a {@code uint8} image is returned as it is; a {@code uint16}
     * image keeps the high byte of each sample (full range maps to full range). The one 16 to 8 bit
     * reduction of the library (JPEG and other 8-bit-only outputs).
     */
    public Image toEightBit() {
        if (pixelType == PixelType.UINT8) {
            return this;
        }
        byte[] dst = new byte[data.length / 2];
        for (int i = 0; i < dst.length; i++) {
            dst[i] = data[2 * i + 1]; // little-endian: the high byte
        }
        return new Image(height, width, channels, PixelType.UINT8, dst);
    }

    /** True when both images have the same shape, type and samples. */
    public boolean sameAs(Image other) {
        return other != null && height == other.height && width == other.width && channels == other.channels
                && pixelType == other.pixelType && Arrays.equals(data, other.data);
    }

    @Override
    public String toString() {
        return "Image[" + height + "x" + width + "x" + channels + " " + pixelType.dtype() + "]";
    }
}
