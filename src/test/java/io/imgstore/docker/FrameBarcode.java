package io.imgstore.docker;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * The barcode every fixture and test frame carries: its frame number (mod 65536) as 16 vertical
 * bands of equal width, most significant bit on the left, bright (255, or 60000 for 16-bit) for 1
 * and dark (0) for 0. Colour frames carry the bands in B and G and their inverse in R.
 */
final class FrameBarcode {

    static final int BANDS = 16;

    private FrameBarcode() {
    }

    /** The value a frame with this number shows. */
    static int expected(long frameNumber) {
        return (int) Math.floorMod(frameNumber, 65536L);
    }

    /**
     * Decodes one channel of a decoded image (raster band order: gray, or R, G, B[, A]) by averaging
     * the middle half of each band, away from its edges, against half the bright value.
     */
    static int decode(BufferedImage image, int channel) {
        Raster raster = image.getRaster();
        int bits = raster.getSampleModel().getSampleSize(channel);
        double threshold = (bits > 8 ? 60000 : 255) / 2.0;
        int width = raster.getWidth();
        int height = raster.getHeight();
        int y0 = height / 4;
        int y1 = Math.max(y0 + 1, height - height / 4);
        int value = 0;
        for (int bit = 0; bit < BANDS; bit++) {
            int x0 = bit * width / BANDS;
            int x1 = (bit + 1) * width / BANDS;
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
    static byte[] grayPixels(long frameNumber, int height, int width) {
        int value = expected(frameNumber);
        byte[] pixels = new byte[height * width];
        for (int x = 0; x < width; x++) {
            int bit = x * BANDS / width;
            boolean on = ((value >> (BANDS - 1 - bit)) & 1) == 1;
            if (on) {
                for (int y = 0; y < height; y++) {
                    pixels[y * width + x] = (byte) 255;
                }
            }
        }
        return pixels;
    }
}
