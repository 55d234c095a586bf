package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.codec.DecodedFrameCache;
import io.imgstore.format.codec.VideoChunkReader;
import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.testing.Barcode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Side-by-side figures for the performance work of {@code docs/performance-2.md}: every row runs the
 * old code path ("before", kept behind a setting) and the new one ("after") in the same JVM,
 * interleaved round by round, on camera-like content it writes itself (a fixed noise texture, fresh
 * Gaussian-like sensor noise on every frame, and the frame-number barcode bars in the top eighth,
 * decoded and checked on every timed read). Prints wall-clock medians, the ratio and the load
 * average. Not a test; run by {@code bench/perf-compare.sh}.
 *
 * <p>Rows: opening a chunk (frame table from the mp4 index vs demuxing every packet:
 * {@link VideoChunkReader#INDEX_OPEN_PROPERTY}); reads on a long group of pictures and on the
 * 1920x1200 ingest layout with and without {@link DecodedFrameCache}; sequential decode against
 * the {@code ffmpeg -f null} binary (measurement only).
 */
public final class PerfCompare {

    private PerfCompare() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/imgstore-perf-compare");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "# PerfCompare %s, %d cores, load %s, rounds %d%n", java.time.Instant.now(),
                Runtime.getRuntime().availableProcessors(), load(), rounds);
        openRows(dir, rounds);
        cacheRows(dir, rounds);
        poolRows(dir, rounds);
        sequentialRow(dir);
        System.out.printf(Locale.ROOT, "# done, load %s%n", load());
    }

    // ---- open ----

    static void openRows(Path dir, int rounds) {
        System.out.println();
        System.out.println("| open a chunk (320x240 gray, keyframe every 10) | before: demux all | after: index | ratio | load |");
        System.out.println("|---|---|---|---|---|");
        for (boolean fragmented : new boolean[] {false, true}) {
            for (int frames : new int[] {1_000, 10_000}) {
                Path f = chunk(dir, 240, 320, false, frames, 10, fragmented);
                double[] before = new double[rounds * 3];
                double[] after = new double[rounds * 3];
                for (int i = 0; i < before.length; i++) {
                    before[i] = openMs(f, false, frames);
                    after[i] = openMs(f, true, frames);
                }
                row(String.format(Locale.ROOT, "%,d frames, %s mp4 (%.1f MB)", frames,
                        fragmented ? "fragmented (ingest)" : "plain", f.toFile().length() / 1e6), "ms", median(before),
                        median(after));
            }
        }
    }

    static double openMs(Path f, boolean index, int expectedFrames) {
        if (index) {
            System.clearProperty(VideoChunkReader.INDEX_OPEN_PROPERTY);
        } else {
            System.setProperty(VideoChunkReader.INDEX_OPEN_PROPERTY, "false");
        }
        long t0 = System.nanoTime();
        try (VideoChunkReader r = VideoChunkReader.open(f, false)) {
            if (r.frameCount() != expectedFrames || r.tableFromIndex() != index) {
                throw new AssertionError(f + ": " + r.frameCount() + " frames, index " + r.tableFromIndex());
            }
            check(r, expectedFrames - 1);
        } finally {
            System.clearProperty(VideoChunkReader.INDEX_OPEN_PROPERTY);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    // ---- decoded-frame cache ----

    static void cacheRows(Path dir, int rounds) {
        System.out.println();
        System.out.println("| reads (wall ms per read, median of rounds) | before: no frame cache | after: 64 MiB cache | ratio | load |");
        System.out.println("|---|---|---|---|---|");
        DecodedFrameCache cache = DecodedFrameCache.shared();
        long capacity = 64L << 20;
        Path longGop = chunk(dir, 512, 512, true, 500, 250, true);
        Path big = chunk(dir, 1200, 1920, false, 100, 10, true);
        record Workload(String name, Path file, boolean color, int[] order) {
        }
        SplittableRandom rnd = new SplittableRandom(11);
        List<Workload> loads = new ArrayList<>();
        int[] back = new int[60];
        for (int i = 0; i < back.length; i++) {
            back[i] = 480 - i;
        }
        loads.add(new Workload("512x512 colour, keyframe every 250: step backwards 60 frames", longGop, true, back));
        int[] near = new int[60];
        int centre = 300;
        for (int i = 0; i < near.length; i++) {
            centre = Math.max(260, Math.min(490, centre + rnd.nextInt(-8, 9)));
            near[i] = centre;
        }
        loads.add(new Workload("512x512 colour, keyframe every 250: scrub +-8 frames around a position", longGop, true,
                near));
        loads.add(new Workload("512x512 colour, keyframe every 250: uniform random", longGop, true,
                rnd.ints(40, 0, 500).toArray()));
        int[] distinct = rnd.ints(0, 100).distinct().limit(40).toArray();
        loads.add(new Workload("1920x1200 gray, keyframe every 10 (ingest): 40 distinct random frames (no hit possible: cost of the cache)",
                big, false, distinct));
        for (Workload w : loads) {
            double[] before = new double[rounds];
            double[] after = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int pass = 0; pass < 2; pass++) {
                    boolean on = (pass + r) % 2 == 0;
                    cache.setCapacity(on ? capacity : 0);
                    cache.clear();
                    double ms = readsMs(w.file(), w.color(), w.order()) / w.order().length;
                    if (on) {
                        after[r] = ms;
                    } else {
                        before[r] = ms;
                    }
                }
            }
            row(w.name(), "ms", median(before), median(after));
        }
        cache.setCapacity(capacity);
        cache.clear();
    }

    /** Wall time of the reads in {@code order} on one reader (opened outside the timing). */
    static double readsMs(Path f, boolean color, int[] order) {
        try (VideoChunkReader r = VideoChunkReader.open(f, color)) {
            long t0 = System.nanoTime();
            for (int idx : order) {
                check(r, idx);
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    // ---- decoder pool: parked decoders ----

    /**
     * Several clients on one store's decoder pool (4 idle decoders kept, the store default), requests interleaved one at a time:
     * viewers playing forward from different positions in a long group of pictures plus a client
     * reading random frames. Before: the old choice of decoder; after: the decoder parked in the
     * target's group of pictures, else the least recently used one. Frame cache off in both.
     */
    static void poolRows(Path dir, int rounds) throws Exception {
        System.out.println();
        System.out.println("| decoder pool, 512x512 colour, keyframe every 250 (wall ms per request) | before: old choice | after: parked decoders | ratio | load |");
        System.out.println("|---|---|---|---|---|");
        Path longGop = chunk(dir, 512, 512, true, 500, 250, true);
        Path storeDir = dir.resolve("pool-store");
        Files.createDirectories(storeDir);
        Path chunkFile = io.imgstore.format.internal.VideoFrameSource.chunkPath(storeDir, 0, ".mp4");
        if (!Files.exists(chunkFile)) {
            Files.copy(longGop, chunkFile);
        }
        DecodedFrameCache cache = DecodedFrameCache.shared();
        long capacity = cache.capacity();
        cache.setCapacity(0);
        SplittableRandom rnd = new SplittableRandom(5);
        int[] random = rnd.ints(200, 0, 500).toArray();
        double[][] results = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int pass = 0; pass < 2; pass++) {
                boolean parking = (pass + r) % 2 == 0;
                if (parking) {
                    System.clearProperty(io.imgstore.format.internal.VideoFrameSource.PARKING_PROPERTY);
                } else {
                    System.setProperty(io.imgstore.format.internal.VideoFrameSource.PARKING_PROPERTY, "false");
                }
                try (var src = new io.imgstore.format.internal.VideoFrameSource(storeDir, ".mp4", true, 4)) {
                    int[] viewer = {20, 290};
                    long t0 = System.nanoTime();
                    int requests = 0;
                    for (int step = 0; step < 60; step++) {
                        for (int v = 0; v < viewer.length; v++) {
                            int idx = viewer[v]++;
                            checkImage(src.read(0, idx), idx);
                            requests++;
                        }
                        int idx = random[step];
                        checkImage(src.read(0, idx), idx);
                        requests++;
                    }
                    results[parking ? 1 : 0][r] = (System.nanoTime() - t0) / 1e6 / requests;
                } finally {
                    System.clearProperty(io.imgstore.format.internal.VideoFrameSource.PARKING_PROPERTY);
                }
            }
        }
        row("2 viewers playing forward + 1 random reader, interleaved", "ms", median(results[0]), median(results[1]));
        cache.setCapacity(capacity);
    }

    static void checkImage(Image img, int idx) {
        int got = Barcode.decodeStrip(img);
        if (got != idx) {
            throw new AssertionError("read frame " + idx + " but its barcode says " + got);
        }
    }

    // ---- sequential decode vs ffmpeg -f null ----

    static void sequentialRow(Path dir) throws Exception {
        Path f = chunk(dir, 1200, 1920, false, 100, 10, true);
        String ffmpeg = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        System.out.println();
        System.out.println("| sequential decode, 1920x1200 gray, 100 frames (fps, median of 3) | value | vs ffmpeg -threads 1 -f null | load |");
        System.out.println("|---|---|---|---|");
        double[] ff1 = new double[3];
        double[] ff0 = new double[3];
        double[] r1 = new double[3];
        double[] r0 = new double[3];
        for (int i = 0; i < 3; i++) {
            ff1[i] = ffmpegFps(ffmpeg, f, 1, 100);
            r1[i] = readerFps(f, 1, 100);
            ff0[i] = ffmpegFps(ffmpeg, f, 0, 100);
            r0[i] = readerFps(f, 0, 100);
        }
        double base = median(ff1);
        for (Object[] row : new Object[][] {{"ffmpeg -threads 1 -i f -f null -", ff1}, {"VideoChunkReader.readNext, 1 thread (store pool)", r1},
                {"ffmpeg -threads auto -i f -f null -", ff0}, {"VideoChunkReader.readNext, threads auto", r0}}) {
            double v = median((double[]) row[1]);
            System.out.printf(Locale.ROOT, "| %s | %.1f fps | %.2fx | %s |%n", row[0], v, v / base, load());
        }
    }

    /** Frames per second of the ffmpeg binary's own transcode loop ({@code -benchmark} rtime: no process start). */
    static double ffmpegFps(String ffmpeg, Path f, int threads, int frames) throws Exception {
        Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-benchmark", "-threads", String.valueOf(threads), "-i",
                f.toString(), "-f", "null", "-").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed on " + f + ": " + out);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("rtime=([0-9.]+)s").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no rtime in ffmpeg output: " + out);
        }
        return frames / Double.parseDouble(m.group(1));
    }

    static double readerFps(Path f, int threads, int frames) {
        long t0 = System.nanoTime();
        try (VideoChunkReader r = VideoChunkReader.open(f, false, threads)) {
            for (int i = 0; i < frames; i++) {
                Image img = r.readNext();
                if (i % 10 == 0 && Barcode.decodeStrip(img) != i) {
                    throw new AssertionError("sequential frame " + i);
                }
            }
        }
        return frames / ((System.nanoTime() - t0) / 1e9);
    }

    // ---- content ----

    /** Writes (once) a camera-like chunk: fixed noise texture, fresh noise per frame, barcode strip. */
    static Path chunk(Path dir, int h, int w, boolean color, int frames, int gop, boolean fragmented) {
        Path f = dir.resolve(String.format(Locale.ROOT, "cam_%dx%d_%s_%d_gop%d%s.mp4", w, h, color ? "color" : "gray",
                frames, gop, fragmented ? "_frag" : ""));
        if (Files.isRegularFile(f)) {
            return f;
        }
        int c = color ? 3 : 1;
        NoisyTextureFrames camera = new NoisyTextureFrames(h, w, c);
        VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(gop).withFragmented(fragmented);
        long t0 = System.nanoTime();
        Path tmp = dir.resolve(f.getFileName() + ".part.mp4");
        try (VideoChunkWriter wr = VideoChunkWriter.create(tmp, StoreFormat.AVC1_MP4, h, w, color, PixelType.UINT8, s)) {
            for (int i = 0; i < frames; i++) {
                Image img = camera.frame(i);
                wr.write(img);
            }
        }
        try {
            Files.move(tmp, f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.printf(Locale.ROOT, "# wrote %s in %.1f s%n", f.getFileName(), (System.nanoTime() - t0) / 1e9);
        return f;
    }

    static void check(VideoChunkReader r, int idx) {
        int got = Barcode.decodeStrip(r.read(idx));
        if (got != idx) {
            throw new AssertionError(r.file() + ": read frame " + idx + " but its barcode says " + got);
        }
    }

    // ---- output ----

    static void row(String name, String unit, double before, double after) {
        System.out.printf(Locale.ROOT, "| %s | %.2f %s | %.2f %s | %.2fx | %s |%n", name, before, unit, after, unit,
                before / after, load());
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String load() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
