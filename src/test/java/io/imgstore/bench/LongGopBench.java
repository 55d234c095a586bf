package io.imgstore.bench;

import com.sun.management.OperatingSystemMXBean;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.codec.VideoChunkReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Uniform random reads of whole stores through the library (one client), with the variants of the
 * read path side by side in one JVM, interleaved round by round: every frame is checked by the
 * frame-number bars {@code bench/issue13_py.py} draws (32 bars in the top eighth, least significant
 * bit on the left) or the test barcode {@link Issue13Stores} draws. Not a test. Run with:
 *
 * <pre>
 * ./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
 * java -cp target/test-classes:target/classes:$(cat target/bench.cp) io.imgstore.bench.LongGopBench \
 *     ROUNDS READS STORE...
 * </pre>
 *
 * Variants, each adding one change of the third round of the performance issue (the last is the
 * default): before ({@code -Dimgstore.reader.skipNonRef=false -Dimgstore.reader.threads=1
 * -Dimgstore.pool.longGroups=false -Dimgstore.frameCache.keepAlways=true}), + skipping non-reference
 * frames, + parking decoders by memory for long groups of pictures, + automatic decoder threads, +
 * keeping frames decoded on the way only for reads near the previous one (stepping, scrubbing). Each round opens every store afresh (2
 * decoders per store, the service's default; default frame cache), reads {@code READS} random frames (the
 * same sequence for every variant of a round) and reports wall ms per read (median and p90 over the
 * rounds' reads) and process CPU ms per read (all threads).
 *
 * <p>Other modes: {@code sequential CHUNK COLOR THREADS REPS [view]} (readNext, or with {@code view} the pixels lent in place, over a whole chunk),
 * {@code open REPS CHUNK...} (open plus the last frame), {@code memory CHUNK COLOR} (resident bytes
 * of eight readers that have decoded).
 */
public final class LongGopBench {

    private LongGopBench() {
    }

    public static void main(String[] args) {
        if (args[0].equals("ffmpeg")) { // the path of JavaCV's ffmpeg binary
            System.out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
            return;
        }
        if (args[0].equals("sequential")) { // sequential CHUNK COLOR THREADS REPS
            for (int rep = 0; rep < Integer.parseInt(args[4]); rep++) {
                long t0 = System.nanoTime();
                int n;
                try (VideoChunkReader r = VideoChunkReader.open(Path.of(args[1]), Boolean.parseBoolean(args[2]),
                        Integer.parseInt(args[3]))) {
                    n = r.frameCount();
                    boolean view = args.length > 5 && args[5].equals("view");
                    for (int i = 0; i < n; i++) {
                        if (view) { // the pixels lent in place, as a consumer that streams them would take them
                            try {
                                r.read(i, pixels -> pixels.buffer().get(pixels.byteCount() - 1));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        } else {
                            r.readNext();
                        }
                    }
                    System.out.printf("decoded %d, seeks %d, retries %d, threads %d: ", r.decodedFrameCount(),
                            r.seekCount(), r.retryCount(), r.decoderThreads());
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("readNext %d frames in %.3f s: %.1f fps%n", n, s, n / s);
            }
            return;
        }
        if (args[0].equals("open")) { // open REPS CHUNK...: open + read the last frame, median ms
            for (int a = 2; a < args.length; a++) {
                List<Double> ms = new ArrayList<>();
                for (int rep = 0; rep < Integer.parseInt(args[1]); rep++) {
                    long t0 = System.nanoTime();
                    try (VideoChunkReader r = VideoChunkReader.open(Path.of(args[a]), false)) {
                        r.read(r.frameCount() - 1);
                    }
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                System.out.printf("open + last frame %s: median %.2f ms, p90 %.2f ms%n", args[a], median(ms),
                        pct(ms, 0.9));
            }
            return;
        }
        if (args[0].equals("graydiff")) { // graydiff STORE N: gray frames by table vs by swscale
            try (ImgStore a = ImgStore.open(Path.of(args[1]))) {
                long diff = 0;
                long max = 0;
                long total = 0;
                for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                    System.setProperty(VideoChunkReader.GRAY_LUT_PROPERTY, "true");
                    io.imgstore.format.codec.DecodedFrameCache.shared().setCapacity(0);
                    byte[] t;
                    byte[] w;
                    try (ImgStore x = ImgStore.open(Path.of(args[1]))) {
                        t = x.getFrameByIndex(i).image().data();
                    }
                    System.setProperty(VideoChunkReader.GRAY_LUT_PROPERTY, "false");
                    try (ImgStore x = ImgStore.open(Path.of(args[1]))) {
                        w = x.getFrameByIndex(i).image().data();
                    }
                    for (int k = 0; k < t.length; k++) {
                        int dd = Math.abs((t[k] & 0xff) - (w[k] & 0xff));
                        diff += dd > 0 ? 1 : 0;
                        max = Math.max(max, dd);
                    }
                    total += t.length;
                }
                System.out.printf("table vs swscale: %d of %d pixels differ, max %d%n", diff, total, max);
            }
            return;
        }
        if (args[0].equals("memory")) { // memory CHUNK COLOR: resident bytes of decoders that have decoded
            memory(Path.of(args[1]), Boolean.parseBoolean(args[2]));
            return;
        }
        int rounds = Integer.parseInt(args[0]);
        int reads = Integer.parseInt(args[1]);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("# LongGopBench %s, %d cores, load %s, %d rounds x %d uniform random reads%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), load(), rounds, reads);
        System.out.println();
        System.out.println("| store | variant | wall ms median | wall ms p90 | CPU ms per read | vs before (median) | load |");
        System.out.println("|---|---|---|---|---|---|---|");
        // before: every frame decoded, 1 thread, decoders-per-store parked; then each change added
        String[] variants = {"before (decode all, 1 thread, 2 parked, keep on every long run)",
            "+ skip non-reference frames", "+ park by memory (long groups)", "+ auto threads",
            "+ keep only near the previous read (= default now)"};
        String[][] settings = {{"false", "1", "false", "true"}, {"true", "1", "false", "true"},
            {"true", "1", "true", "true"}, {"true", "auto", "true", "true"}, {"true", "auto", "true", "false"}};
        for (int s = 2; s < args.length; s++) {
            Path dir = Path.of(args[s]);
            List<List<Double>> walls = new ArrayList<>();
            double[] cpu = new double[variants.length];
            for (int v = 0; v < variants.length; v++) {
                walls.add(new ArrayList<>());
            }
            for (int r = 0; r < rounds; r++) {
                for (int v = 0; v < variants.length; v++) {
                    System.setProperty(VideoChunkReader.NON_REF_SKIPPING_PROPERTY, settings[v][0]);
                    System.setProperty(VideoChunkReader.THREADS_PROPERTY, settings[v][1]);
                    System.setProperty(io.imgstore.format.internal.VideoFrameSource.LONG_GROUP_PARKING_PROPERTY,
                            settings[v][2]);
                    System.setProperty(VideoChunkReader.KEEP_ALWAYS_PROPERTY, settings[v][3]);
                    Random rnd = new Random(1000 + r);
                    try (ImgStore store = ImgStore.open(dir, Integer.getInteger("bench.decoders", 2))) {
                        int n = store.frameCount();
                        long cpu0 = os.getProcessCpuTime();
                        for (int i = 0; i < reads; i++) {
                            int idx = rnd.nextInt(n);
                            long t0 = System.nanoTime();
                            Image img = store.getFrameByIndex(idx).image();
                            walls.get(v).add((System.nanoTime() - t0) / 1e6);
                            int got = bars(img);
                            long want = store.frameInfo(idx).frameNumber();
                            if (got != want && io.imgstore.testing.Barcode.decodeStrip(img)
                                    != io.imgstore.testing.Barcode.expected(want)) {
                                throw new AssertionError(dir + ": read index " + idx + " (frame " + want
                                        + ") but its bars say " + got + " (" + variants[v] + ")");
                            }
                        }
                        cpu[v] += (os.getProcessCpuTime() - cpu0) / 1e6 / reads / rounds;
                    }
                }
            }
            double base = median(walls.get(0));
            for (int v = 0; v < variants.length; v++) {
                double med = median(walls.get(v));
                System.out.printf("| %s | %s | %.2f | %.2f | %.2f | %.2fx | %s |%n", dir.getFileName(), variants[v], med,
                        pct(walls.get(v), 0.9), cpu[v], base / med, load());
            }
        }
        System.clearProperty(VideoChunkReader.NON_REF_SKIPPING_PROPERTY);
        System.clearProperty(VideoChunkReader.THREADS_PROPERTY);
        System.clearProperty(VideoChunkReader.KEEP_ALWAYS_PROPERTY);
        System.clearProperty(io.imgstore.format.internal.VideoFrameSource.LONG_GROUP_PARKING_PROPERTY);
        System.out.println("# done, load " + load());
    }

    private static void memory(Path chunk, boolean color) {
        int n = 8;
        io.imgstore.format.codec.DecodedFrameCache.shared().setCapacity(0);
        java.util.List<VideoChunkReader> readers = new ArrayList<>();
        System.gc();
        long before = org.bytedeco.javacpp.Pointer.physicalBytes();
        Random rnd = new Random(1);
        for (int i = 0; i < n; i++) {
            VideoChunkReader r = VideoChunkReader.open(io.imgstore.format.storage.StoreFiles.LOCAL, chunk, color);
            r.read(rnd.nextInt(r.frameCount()));
            readers.add(r);
        }
        long after = org.bytedeco.javacpp.Pointer.physicalBytes();
        System.out.printf("%s: %.1f MB resident per decoder (physical bytes, %d decoders), estimate %.1f MB, threads %d%n",
                chunk, (after - before) / 1e6 / n, n, readers.get(0).residentBytesEstimate() / 1e6,
                readers.get(0).decoderThreads());
        readers.forEach(VideoChunkReader::close);
    }

    /** The frame number drawn by bench/issue13_py.py: 32 bars in the top eighth, bit b in bar b. */
    static int bars(Image img) {
        int w = img.width();
        int c = img.channels();
        int y = img.height() / 16;
        byte[] d = img.data();
        int v = 0;
        for (int b = 0; b < 32; b++) {
            int x = (2 * b + 1) * w / 64;
            if ((d[(y * w + x) * c] & 0xff) > 128) {
                v |= 1 << b;
            }
        }
        return v;
    }

    private static double median(List<Double> xs) {
        return pct(xs, 0.5);
    }

    private static double pct(List<Double> xs, double p) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[Math.min(a.length - 1, (int) Math.floor(p * a.length))];
    }

    private static String load() {
        try {
            String[] l = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
            return l[0] + " " + l[1] + " " + l[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
