package io.imgstore.bench;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.VideoChunkReader;
import io.imgstore.testing.Barcode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sequential decode of one 1920x1200 chunk, to compare with {@code ffmpeg -i STORE/000000.mp4 -f null -}
 * on the same file. Usage: {@code SequentialDecodeBench STORE_DIR [decoder threads, 0 = auto]}; the
 * store (500 barcode frames, default settings) is written when absent.
 */
public final class SequentialDecodeBench {

    private SequentialDecodeBench() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int h = 1200;
        int w = 1920;
        int n = 500;
        if (!Files.exists(dir)) {
            try (ImgStoreWriter wr = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.AVC1_MP4, h, w))) {
                for (int i = 0; i < n; i++) {
                    wr.addImage(Barcode.draw(i, h, w, 1, PixelType.UINT8), i, i / 25.0);
                }
            }
        }
        Path file = dir.resolve("000000.mp4");
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            int frames;
            try (VideoChunkReader r = VideoChunkReader.open(file, false, threads)) {
                frames = r.frameCount();
                for (int i = 0; i < frames; i++) {
                    r.read(i);
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("threads=%d: %d frames in %.3f s = %.0f frames/s%n", threads, frames, s, frames / s);
        }
    }
}
