package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.codec.PngWriter;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * PNG encoders on camera-like frames (not a test): OpenCV's {@code imencode} with its default and
 * with explicit compression level / strategy, against each {@link PngWriter} effort and its automatic
 * choice; 25th percentile of 40 encodes and the size as a fraction of the raw pixels. Run with
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench.cp) io.imgstore.bench.PngOptionsBench
 * [STORE:INDEX...]}: frames decoded from stores, or without arguments a 512x512 colour and a gray
 * {@link NoisyTextureFrames} frame. (The choice of filter "up" came from an earlier version that also
 * tried a hand-written writer's filters with Huffman-only deflate on a noisy 512x512 colour frame:
 * none 0.864, sub 0.845, up 0.842 of raw.)
 */
public final class PngOptionsBench {

    public static void main(String[] args) {
        if (args.length == 0) {
            for (int c : new int[] {3, 1}) {
                measure("synthetic 512x512x" + c, new NoisyTextureFrames(512, 512, c).frame(0));
            }
            return;
        }
        for (String a : args) { // STORE:INDEX
            String[] sp = a.split(":");
            try (ImgStore st = ImgStore.open(Path.of(sp[0]))) {
                measure(a, st.getFrameByIndex(Integer.parseInt(sp[1])).image());
            }
        }
    }

    private static void measure(String name, Image img) {
        int raw = img.data().length;
        System.out.println(name + " " + img + " effort " + PngWriter.effortFor(img));
        run("  opencv default", raw, () -> ImageCodec.encode(img, ".png", 95));
        for (int[] p : new int[][] {{16, 0}, {16, 1}, {17, 2}, {16, 1, 17, 2}}) { // level, strategy
            run("  opencv " + Arrays.toString(p), raw, () -> cv(img, p));
        }
        for (PngWriter.Effort e : PngWriter.Effort.values()) {
            run("  PngWriter " + e, raw, () -> PngWriter.encode(img, e));
        }
        run("  PngWriter auto (sample + encode)", raw, () -> PngWriter.encode(img));
    }

    static byte[] cv(Image img, int[] params) {
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            org.bytedeco.opencv.opencv_core.Mat m = new org.bytedeco.opencv.opencv_core.Mat(img.height(), img.width(),
                    img.channels() == 3 ? org.bytedeco.opencv.global.opencv_core.CV_8UC3
                            : org.bytedeco.opencv.global.opencv_core.CV_8UC1);
            m.data().put(img.data());
            org.bytedeco.javacpp.BytePointer out = new org.bytedeco.javacpp.BytePointer();
            org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".png", m, out,
                    new org.bytedeco.javacpp.IntPointer(params));
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            out.close();
            return b;
        }
    }

    static void run(String name, int raw, java.util.function.Supplier<byte[]> f) {
        double[] t = new double[40];
        int size = 0;
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            size = f.get().length;
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        System.out.printf("%-45s %7.2f ms  size %.3f of raw%n", name, t[t.length / 4], size / (double) raw);
    }
}
