package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.testing.Barcode;
import java.util.SplittableRandom;

/**
 * The camera-like frames of the performance benchmarks ({@link PerfCompare}, {@link Issue13Stores},
 * {@link PngOptionsBench}; {@code bench/issue13_py.py} draws the same kind for Python imgstore): a
 * fixed texture (a sin/cos pattern plus noise of +-30), fresh sensor noise of +-4 on every frame, and
 * the frame's barcode ({@link Barcode#frame}) in the top eighth. One seeded random sequence: the same
 * size and the same calls of {@link #frame} in the same order give the same bytes.
 */
final class NoisyTextureFrames {

    private final int height;
    private final int width;
    private final int channels;
    private final byte[] texture;
    private final SplittableRandom rnd = new SplittableRandom(3);

    NoisyTextureFrames(int height, int width, int channels) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.texture = new byte[height * width * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int k = 0; k < channels; k++) {
                    double v = 128 + 50 * Math.sin(x / (9.0 + k)) * Math.cos(y / 13.0) + rnd.nextInt(-30, 31);
                    texture[(y * width + x) * channels + k] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
        }
    }

    /** The next frame, showing {@code value} as its barcode. */
    Image frame(int value) {
        Image img = Barcode.frame(value, height, width, channels == 3);
        byte[] d = img.data();
        for (int p = (height / 8) * width * channels; p < d.length; p++) {
            d[p] = (byte) Math.max(0, Math.min(255, (texture[p] & 0xff) + rnd.nextInt(-4, 5)));
        }
        return img;
    }
}
