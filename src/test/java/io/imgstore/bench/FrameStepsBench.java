package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.codec.ImageCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Random;

/**
 * CPU time of the frame pipeline's expensive steps, per frame, on one thread: a random read
 * (decode) and PNG / JPEG encoding of the frame, for stores written by {@link ReadBenchStores}.
 * Thread CPU time, so the figures hold on a machine shared with other work.
 *
 * <p>Usage: {@code FrameStepsBench ROOT STORE...}, e.g.
 * {@code FrameStepsBench /tmp/imgstore-read-bench avc1-mp4_gray png_gray npy_gray}.
 */
public final class FrameStepsBench {

    private FrameStepsBench() {
    }

    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path root = Path.of(args[0]);
        for (int a = 1; a < args.length; a++) {
            try (ImgStore s = ImgStore.open(root.resolve(args[a]), 2)) {
                Random r = new Random(1);
                int n = s.frameCount();
                for (int i = 0; i < 40; i++) {
                    ImageCodec.encode(s.getFrameByIndex(r.nextInt(n)).image(), ".png", 95);
                }
                int frames = 200;
                long c0 = mx.getCurrentThreadCpuTime();
                Image last = null;
                for (int i = 0; i < frames; i++) {
                    last = s.getFrameByIndex(r.nextInt(n)).image();
                }
                long c1 = mx.getCurrentThreadCpuTime();
                long bytes = 0;
                for (int i = 0; i < frames; i++) {
                    bytes += ImageCodec.encode(last, ".png", 95).length;
                }
                long c2 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < frames; i++) {
                    ImageCodec.encode(last, ".jpg", 90);
                }
                long c3 = mx.getCurrentThreadCpuTime();
                System.out.printf("%-16s CPU per frame: random read %.2f ms, PNG %.2f ms (%d KB), JPEG q90 %.2f ms%n",
                        args[a], (c1 - c0) / 1e6 / frames, (c2 - c1) / 1e6 / frames, bytes / frames / 1024,
                        (c3 - c2) / 1e6 / frames);
            }
        }
    }
}
