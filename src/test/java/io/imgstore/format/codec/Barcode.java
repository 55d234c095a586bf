package io.imgstore.format.codec;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;

/**
 * The fixtures' frame barcode: a 16-bit number as 16 vertical bands of equal width (column
 * {@code x} belongs to band {@code x * 16 / width}), most significant bit on the left, bright for
 * 1 and dark (0) for 0. Colour frames are BGR: B and G carry the bands, R their inverse.
 */
public final class Barcode {

    public static final int BITS = 16;

    private Barcode() {
    }

    /** A barcode frame; {@code bright} is 255 for uint8 (60000 in the uint16 fixtures). */
    public static Image frame(int value, int height, int width, boolean color, PixelType type, int bright) {
        Image img = Image.blank(height, width, color ? 3 : 1, type);
        for (int x = 0; x < width; x++) {
            int band = x * BITS / width;
            boolean on = ((value >>> (BITS - 1 - band)) & 1) != 0;
            int v = on ? bright : 0;
            int inv = on ? 0 : bright;
            for (int y = 0; y < height; y++) {
                if (color) {
                    img.setSample(y, x, 0, v);
                    img.setSample(y, x, 1, v);
                    img.setSample(y, x, 2, inv);
                } else {
                    img.setSample(y, x, 0, v);
                }
            }
        }
        return img;
    }

    public static Image frame(int value, int height, int width, boolean color) {
        return frame(value, height, width, color, PixelType.UINT8, 255);
    }

    /**
     * A benchmark frame: a barcode strip in the top {@code height / 8} rows (decode it with
     * {@link #decodeStrip}) and, below it, a texture (same size as the frame) moving right by
     * {@code shift} pixels plus sensor-like noise read cyclically from {@code noise}, so the
     * encoder has real, camera-like work to do.
     */
    public static Image texturedFrame(int value, int height, int width, boolean color, Image texture, byte[] noise,
                                      int shift) {
        Image img = frame(value, height, width, color);
        byte[] d = img.data();
        byte[] t = texture.data();
        int c = color ? 3 : 1;
        int n = noise.length;
        int k = Math.floorMod(shift * 7919, n);
        for (int y = height / 8; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int tx = Math.floorMod(x - shift, width);
                for (int ch = 0; ch < c; ch++) {
                    int v = (t[(y * width + tx) * c + ch] & 0xff) + noise[k];
                    k = k + 1 == n ? 0 : k + 1;
                    d[(y * width + x) * c + ch] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return img;
    }

    /** Decodes the barcode strip of a {@link #texturedFrame}. */
    public static int decodeStrip(Image img) {
        int stripRows = img.height() / 8;
        int rowBytes = img.width() * img.channels();
        byte[] strip = java.util.Arrays.copyOf(img.data(), stripRows * rowBytes);
        return decode(new Image(stripRows, img.width(), img.channels(), img.pixelType(), strip));
    }

    /** Decodes the value from one channel (the middle half of each band, vertically and horizontally). */
    public static int decodeChannel(Image img, int channel, boolean inverted, double threshold) {
        return decodeChannel(img, channel, inverted, threshold, img.width());
    }

    /**
     * As {@link #decodeChannel(Image, int, boolean, double)}, sampling only columns below
     * {@code usableWidth} (for frames whose right edge is known to be damaged).
     */
    public static int decodeChannel(Image img, int channel, boolean inverted, double threshold, int usableWidth) {
        int w = img.width();
        int h = img.height();
        int y0 = h / 4;
        int y1 = Math.max(y0 + 1, (3 * h) / 4);
        int value = 0;
        for (int band = 0; band < BITS; band++) {
            double left = band * (double) w / BITS;
            double right = Math.min((band + 1) * (double) w / BITS, usableWidth);
            if (right - left < 1) {
                throw new IllegalArgumentException("band " + band + " lies beyond the usable width " + usableWidth);
            }
            double quarter = (right - left) / 4;
            int x0 = (int) Math.ceil(left + quarter);
            int x1 = (int) Math.floor(right - quarter);
            if (x1 < x0) {
                x0 = x1 = (int) ((left + right) / 2);
            }
            double sum = 0;
            int n = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    sum += img.sample(y, x, channel);
                    n++;
                }
            }
            boolean on = sum / n > threshold;
            if (on != inverted) {
                value |= 1 << (BITS - 1 - band);
            }
        }
        return value;
    }

    /**
     * Decodes a gray or BGR frame. For colour, B, G and the inverted R must agree, otherwise this
     * throws (a BGR/RGB swap or a broken conversion).
     */
    public static int decode(Image img) {
        return decode(img, img.width());
    }

    /** As {@link #decode(Image)}, sampling only columns below {@code usableWidth}. */
    public static int decode(Image img, int usableWidth) {
        double threshold = img.pixelType().maxValue() == 255 ? 127.5 : 30000;
        int b = decodeChannel(img, 0, false, threshold, usableWidth);
        if (img.channels() == 1) {
            return b;
        }
        int g = decodeChannel(img, 1, false, threshold, usableWidth);
        int r = decodeChannel(img, 2, true, threshold, usableWidth);
        if (b != g || b != r) {
            throw new AssertionError("colour channels disagree: B=" + b + " G=" + g + " inverted R=" + r
                    + " (BGR/RGB swapped?)");
        }
        return b;
    }
}
