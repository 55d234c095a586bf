package io.imgstore.testing;

import io.imgstore.format.FrameBarcode;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * The test suite's one entry point to the frame barcode every fixture and test frame carries: the
 * frame number (mod 65536) as 16 vertical bands of equal width (column {@code x} belongs to band
 * {@code x * 16 / width}), most significant bit on the left, bright (255, or 60000 for uint16) for
 * 1 and dark (0) for 0; colour frames are BGR: B and G carry the bands, R their inverse.
 *
 * <p>Drawing and the lenient decoder are main's {@link FrameBarcode} (the implementation, shared
 * with the demo store and the CLI {@code test} command). On top of it, for tests only:
 * <ul>
 *   <li>{@link #decodeStrict} / {@link #decodeChannel}: the codec tests' decoder, stricter than
 *       {@link #decode(Image)} (R must carry exactly the inverse) and able to ignore a damaged
 *       right edge;</li>
 *   <li>{@link #texturedFrame} / {@link #decodeStrip}: camera-like benchmark frames;</li>
 *   <li>{@link #decode(BufferedImage, int)} / {@link #grayPixels}: a decoder of images decoded by
 *       ImageIO and raw pixels, used by the container tests on the PNGs the packaged service
 *       serves. It deliberately does not go through main's {@link Image}: the frames served by the
 *       container are checked with a decoder independent of the service's own code.</li>
 * </ul>
 */
public final class Barcode {

    public static final int BITS = FrameBarcode.BITS;

    private Barcode() {
    }

    // ---- main's implementation

    public static Image draw(long value, int height, int width, int channels, PixelType type) {
        return FrameBarcode.draw(value, height, width, channels, type);
    }

    /** Main's decoder: lenient about R (chroma subsampling, gray-pattern frames). */
    public static int decode(Image img) {
        return FrameBarcode.decode(img);
    }

    /** The value a frame with this frame number shows. */
    public static int expected(long frameNumber) {
        return FrameBarcode.expected(frameNumber);
    }

    // ---- codec tests and benchmarks

    /**
     * A barcode frame; {@code bright} must be the format's bright value, 255 for uint8 and 60000
     * for uint16 (as in the fixtures).
     */
    public static Image frame(int value, int height, int width, boolean color, PixelType type, int bright) {
        if (bright != FrameBarcode.bright(type)) {
            throw new IllegalArgumentException("bright " + bright + " is not the barcode's for " + type);
        }
        return FrameBarcode.draw(value, height, width, color ? 3 : 1, type);
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
        byte[] strip = Arrays.copyOf(img.data(), stripRows * rowBytes);
        return decodeStrict(new Image(stripRows, img.width(), img.channels(), img.pixelType(), strip));
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
     * Decodes a gray or BGR frame strictly: for colour, B, G and the inverted R must agree, otherwise
     * this throws an {@link AssertionError} (a BGR/RGB swap or a broken conversion).
     */
    public static int decodeStrict(Image img) {
        return decodeStrict(img, img.width());
    }

    /** As {@link #decodeStrict(Image)}, sampling only columns below {@code usableWidth}. */
    public static int decodeStrict(Image img, int usableWidth) {
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

    // ---- container tests: images decoded by ImageIO, raw pixels

    /**
     * Decodes one channel of an image decoded by ImageIO (raster band order: gray, or R, G, B[, A])
     * by averaging the middle half of each band, away from its edges, against half the bright value.
     */
    public static int decode(BufferedImage image, int channel) {
        Raster raster = image.getRaster();
        int bits = raster.getSampleModel().getSampleSize(channel);
        double threshold = (bits > 8 ? 60000 : 255) / 2.0;
        int width = raster.getWidth();
        int height = raster.getHeight();
        int y0 = height / 4;
        int y1 = Math.max(y0 + 1, height - height / 4);
        int value = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int x0 = bit * width / BITS;
            int x1 = (bit + 1) * width / BITS;
            int xa = x0 + (x1 - x0) / 4;
            int xb = Math.max(xa + 1, x1 - (x1 - x0) / 4);
            double sum = 0;
            long count = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = xa; x < xb; x++) {
                    sum += raster.getSample(x, y, channel);
                    count++;
                }
            }
            value = (value << 1) | (sum / count > threshold ? 1 : 0);
        }
        return value;
    }

    /** Raw 8-bit gray pixels (row-major, height x width) showing {@code frameNumber}. */
    public static byte[] grayPixels(long frameNumber, int height, int width) {
        int value = expected(frameNumber);
        byte[] pixels = new byte[height * width];
        for (int x = 0; x < width; x++) {
            int bit = x * BITS / width;
            boolean on = ((value >> (BITS - 1 - bit)) & 1) == 1;
            if (on) {
                for (int y = 0; y < height; y++) {
                    pixels[y * width + x] = (byte) 255;
                }
            }
        }
        return pixels;
    }
}
