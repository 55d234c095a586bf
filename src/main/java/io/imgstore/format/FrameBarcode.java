package io.imgstore.format;

/**
 * A test pattern that makes frame-accuracy checkable by eye and by code (used by the demo store,
 * the CLI {@code test} command and the tests; the reference fixtures use the same pattern): the
 * frame number (mod 65536) as 16 vertical bands of equal width, most significant bit on the left,
 * bright (255, or 60000 for uint16) for 1 and dark (0) for 0. Band {@code b} covers the columns x
 * with {@code x * 16 / width == b}. Colour frames: channels 0 and 1 (B, G) carry the bands,
 * channel 2 (R) their inverse, so a B/R swap is detected.
 */
public final class FrameBarcode {

    public static final int BITS = 16;

    private FrameBarcode() {
    }

    public static int bright(PixelType t) {
        return t == PixelType.UINT8 ? 255 : 60000;
    }

    /** Draws {@code value} into a fresh image of the given shape. */
    public static Image draw(long value, int height, int width, int channels, PixelType type) {
        Image img = Image.blank(height, width, channels, type);
        int v = (int) Math.floorMod(value, 65536L);
        int hi = bright(type);
        for (int x = 0; x < width; x++) {
            int band = x * BITS / width;
            boolean bit = ((v >> (BITS - 1 - band)) & 1) == 1;
            for (int y = 0; y < height; y++) {
                for (int c = 0; c < channels; c++) {
                    boolean on = (channels == 3 && c == 2) != bit;
                    img.setSample(y, x, c, on ? hi : 0);
                }
            }
        }
        return img;
    }

    /**
     * Decodes the barcode (mod 65536) from channel 0 (B). For colour frames channel 1 (G) must agree,
     * and channel 2 (R) must carry the inverse (up to 2 bits off, for chroma-subsampled lossy
     * codecs) or, for frames made from a gray pattern (e.g. demosaiced Bayer), the same bands.
     * A B/R swap makes channel 0 carry the inverse, so callers comparing with the expected number
     * catch it.
     *
     * @throws IllegalStateException when the channels disagree
     */
    public static int decode(Image img) {
        int v = decodeChannel(img, 0, false);
        if (img.channels() == 3) {
            int g = decodeChannel(img, 1, false);
            int rInverted = decodeChannel(img, 2, true);
            int rPlain = decodeChannel(img, 2, false);
            if (g != v || (Integer.bitCount(rInverted ^ v) > 2 && rPlain != v)) {
                throw new IllegalStateException("colour channels disagree: B=" + v + " G=" + g
                        + " R(inverted)=" + rInverted + " (BGR/RGB swapped?)");
            }
        }
        return v;
    }

    private static int decodeChannel(Image img, int c, boolean inverted) {
        double bandWidth = img.width() / (double) BITS;
        int half = bright(img.pixelType()) / 2;
        int y0 = img.height() / 4;
        int y1 = Math.max(y0 + 1, img.height() * 3 / 4);
        int v = 0;
        for (int b = 0; b < BITS; b++) {
            int x0 = (int) Math.ceil(b * bandWidth + bandWidth / 4);
            int x1 = Math.max(x0 + 1, (int) Math.floor(b * bandWidth + bandWidth * 3 / 4));
            long sum = 0;
            int n = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    sum += img.sample(y, x, c);
                    n++;
                }
            }
            boolean bit = (sum / (double) n > half) != inverted;
            v = (v << 1) | (bit ? 1 : 0);
        }
        return v;
    }

    /** The expected decoded value for a frame number. */
    public static int expected(long frameNumber) {
        return (int) Math.floorMod(frameNumber, 65536L);
    }
}
