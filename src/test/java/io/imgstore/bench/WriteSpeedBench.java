package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.CodecInfo;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.testing.Barcode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writing 1920x1200 gray avc1/mp4 frames with noise (σ = 3, the hard case for H.264) per x264
 * preset. Usage: {@code WriteSpeedBench FRAMES PRESET[,PRESET...]}; run with the default or the
 * {@code -Pgpl} classpath to compare libopenh264 and libx264.
 */
public final class WriteSpeedBench {

    private WriteSpeedBench() {
    }

    public static void main(String[] args) throws Exception {
        int h = 1200;
        int w = 1920;
        int n = Integer.parseInt(args[0]);
        System.out.println("encoder: " + CodecInfo.h264Encoder());
        Image[] frames = new Image[8];
        Random r = new Random(1);
        for (int i = 0; i < frames.length; i++) {
            byte[] d = Barcode.draw(i, h, w, 1, PixelType.UINT8).data().clone();
            for (int j = 0; j < d.length; j++) {
                d[j] = (byte) Math.max(0, Math.min(255, (d[j] & 0xff) + (int) (r.nextGaussian() * 3)));
            }
            frames[i] = new Image(h, w, 1, PixelType.UINT8, d);
        }
        for (String preset : args[1].split(",")) {
            Path dir = Files.createTempDirectory("write-speed").resolve("s");
            VideoEncoderSettings d = VideoEncoderSettings.defaults();
            VideoEncoderSettings s = new VideoEncoderSettings(d.keyframeInterval(), d.quality(), preset, false);
            long t0 = System.nanoTime();
            try (ImgStoreWriter wr = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.AVC1_MP4, h, w).withEncoder(s))) {
                for (int i = 0; i < n; i++) {
                    wr.addImage(frames[i % frames.length], i, i / 25.0);
                }
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf("preset=%s: %d frames in %.2f s = %.1f frames/s, %.1f MB%n", preset, n, sec, n / sec,
                    Files.size(dir.resolve("000000.mp4")) / 1e6);
        }
    }
}
