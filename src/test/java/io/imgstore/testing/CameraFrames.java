package io.imgstore.testing;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import java.util.Random;

/**
 * Camera-like gray frames for video tests and benchmarks that need an encoder to do real work
 * (GOP sizes like a camera's, not a flat image's): a fixed synthetic texture panned one pixel per
 * frame, Gaussian-like sensor noise (sigma 3, seed 7) read from a table of {@code noiseBytes}, and
 * the frame's value as the barcode strip of {@link Barcode#texturedFrame} (decode it with
 * {@link Barcode#decodeStrip}). The same arguments give the same frames.
 */
public final class CameraFrames {

    private final int height;
    private final int width;
    private final Image texture;
    private final byte[] noise;

    public CameraFrames(int height, int width, int noiseBytes) {
        this.height = height;
        this.width = width;
        this.texture = Image.blank(height, width, 1, PixelType.UINT8);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                texture.setSample(y, x, 0, (int) (128 + 60 * Math.sin(x / 7.0) * Math.cos(y / 11.0)));
            }
        }
        Random r = new Random(7);
        this.noise = new byte[noiseBytes];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) Math.max(-127, Math.min(127, Math.round(r.nextGaussian() * 3)));
        }
    }

    /** Frame {@code i}: barcode strip {@code i}, the texture shifted by {@code i} pixels, noise. */
    public Image frame(int i) {
        return Barcode.texturedFrame(i, height, width, false, texture, noise, i);
    }
}
