package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.codec.ImageCodec;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Scratch: PNG encoder options on camera-like frames (not a test). */
public final class PngOptionsBench {

    public static void main(String[] args) {
        if (args.length > 0) {
            for (String a : args) { // STORE:INDEX, frames decoded by the library
                String[] sp = a.split(":");
                try (io.imgstore.format.ImgStore st = io.imgstore.format.ImgStore.open(java.nio.file.Path.of(sp[0]))) {
                    Image img = st.getFrameByIndex(Integer.parseInt(sp[1])).image();
                    System.out.println(a + " " + img + " effort " + io.imgstore.format.codec.PngWriter.effortFor(img));
                    run("  opencv default", img.data().length, () -> ImageCodec.encode(img, ".png", 95));
                    for (var e : io.imgstore.format.codec.PngWriter.Effort.values()) {
                        run("  PngWriter " + e, img.data().length, () -> io.imgstore.format.codec.PngWriter.encode(img, e));
                    }
                    run("  PngWriter auto (sample + encode)", img.data().length,
                            () -> io.imgstore.format.codec.PngWriter.encode(img));
                }
            }
            return;
        }
        int h = 512;
        int w = 512;
        for (int c : new int[] {3, 1}) {
            Random rnd = new Random(3);
            byte[] d = new byte[h * w * c];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        double base = 128 + 50 * Math.sin(x / (9.0 + k)) * Math.cos(y / 13.0);
                        int v = (int) (base + rnd.nextInt(61) - 30 + rnd.nextInt(9) - 4);
                        d[(y * w + x) * c + k] = (byte) Math.max(0, Math.min(255, v));
                    }
                }
            }
            Image img = new Image(h, w, c, PixelType.UINT8, d);
            int raw = d.length;
            run("opencv default", raw, () -> ImageCodec.encode(img, ".png", 95));
            for (int[] p : new int[][] {{16, 0}, {16, 1}, {17, 2}, {16, 1, 17, 2}}) {
                run("opencv " + Arrays.toString(p), raw, () -> cv(img, p));
            }
            for (int filter : new int[] {0, 1, 2}) {
                for (int[] ls : new int[][] {{1, Deflater.DEFAULT_STRATEGY}, {1, Deflater.HUFFMAN_ONLY},
                    {1, Deflater.FILTERED}, {0, Deflater.DEFAULT_STRATEGY}}) {
                    run("java filter " + filter + " level " + ls[0] + " strategy " + ls[1], raw,
                            () -> png(img, filter, ls[0], ls[1]));
                }
            }
        }
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

    static byte[] png(Image img, int filter, int level, int strategy) {
        int w = img.width();
        int h = img.height();
        int c = img.channels();
        int row = w * c;
        byte[] d = img.data();
        byte[] filtered = new byte[(row + 1) * h];
        for (int y = 0; y < h; y++) {
            int o = y * (row + 1);
            filtered[o] = (byte) filter;
            int s = y * row;
            if (filter == 0) {
                System.arraycopy(d, s, filtered, o + 1, row);
            } else if (filter == 1) {
                for (int x = 0; x < row; x++) {
                    filtered[o + 1 + x] = (byte) (d[s + x] - (x >= c ? d[s + x - c] : 0));
                }
            } else {
                for (int x = 0; x < row; x++) {
                    filtered[o + 1 + x] = (byte) (d[s + x] - (y > 0 ? d[s + x - row] : 0));
                }
            }
        }
        Deflater def = new Deflater(level);
        def.setStrategy(strategy);
        def.setInput(filtered);
        def.finish();
        byte[] buf = new byte[filtered.length + filtered.length / 100 + 1024];
        int n = 0;
        while (!def.finished()) {
            n += def.deflate(buf, n, buf.length - n);
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        def.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 64);
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = new byte[13];
        put(ihdr, 0, w);
        put(ihdr, 4, h);
        ihdr[8] = 8;
        ihdr[9] = (byte) (c == 3 ? 2 : 0);
        chunk(out, "IHDR", ihdr, 13);
        chunk(out, "IDAT", buf, n);
        chunk(out, "IEND", new byte[0], 0);
        return out.toByteArray();
    }

    static void put(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data, int len) {
        byte[] l = new byte[4];
        put(l, 0, len);
        out.writeBytes(l);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.write(data, 0, len);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, 0, len);
        put(l, 0, (int) crc.getValue());
        out.writeBytes(l);
    }
}
