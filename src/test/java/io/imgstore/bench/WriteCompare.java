package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.CodecInfo;
import io.imgstore.format.codec.DecodedFrameCache;
import io.imgstore.format.codec.VideoChunkReader;
import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.service.ingest.CreateStoreRequest;
import io.imgstore.service.ingest.IngestSessions;
import io.imgstore.testing.Barcode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writing 1920x1200 gray camera-like frames, side by side in one JVM, rows interleaved round by
 * round: the {@code ffmpeg} binary bundled with JavaCV encoding the same raw frames from stdin
 * (the physical limit of the encoder), {@link VideoChunkWriter} with frames encoded on the caller's
 * thread (before) and with {@link VideoChunkWriter#PARALLEL_ENCODERS_PROPERTY} encoders, and
 * {@link ImgStoreWriter} with the settings ingest uses (fragmented mp4). Every file our writers
 * produce is decoded in the first round and each frame's barcode checked (a wrong frame fails the
 * run). Then the keyframe-interval table: file size, quality (PSNR) and random-read latency per
 * interval. Not a test; run by {@code bench/write-compare.sh}.
 *
 * <p>Content: the frame-number barcode bars in the top eighth over a fixed texture (sine pattern
 * plus fixed noise ±30) with fresh noise ±4 on every frame, as {@link PerfCompare} writes.
 *
 * <p>Arguments: {@code DIR ROUNDS FRAMES [PARALLEL,...] [x264 presets, for a -Pgpl classpath]}.
 */
public final class WriteCompare {

    static final int H = 1200;
    static final int W = 1920;

    private WriteCompare() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "/tmp/imgstore-write-compare"));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int[] parallel = Arrays.stream((args.length > 3 ? args[3] : "0,1,2").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        String encoder = CodecInfo.h264Encoder();
        System.out.printf(Locale.ROOT, "# WriteCompare %s, %d cores, load %s, rounds %d, %d frames of %dx%d gray, encoder %s%n",
                java.time.Instant.now(), Runtime.getRuntime().availableProcessors(), PerfCompare.load(), rounds, frames,
                W, H, encoder);
        byte[][] content = content(frames);
        String ffmpeg = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        long kbps = (long) VideoEncoderSettings.DEFAULT_H264_KBPS_PER_MEGAPIXEL * (W * H / 1000) / 1000;

        Map<String, Row> rows = new LinkedHashMap<>();
        if (encoder.startsWith("libx264")) {
            String[] presets = (args.length > 4 ? args[4] : "ultrafast,superfast,veryfast,fast").split(",");
            for (String p : presets) {
                rows.put("ffmpeg libx264 -preset " + p + " -threads 1, gray stdin", new Row(
                        ffmpegCmd(ffmpeg, dir, "gray", kbps, "-c:v", "libx264", "-preset", p, "-threads", "1",
                                "-sc_threshold", "0", "-bf", "0")));
                rows.put("ffmpeg libx264 -preset " + p + " -threads auto, gray stdin", new Row(
                        ffmpegCmd(ffmpeg, dir, "gray", kbps, "-c:v", "libx264", "-preset", p, "-threads", "0",
                                "-sc_threshold", "0", "-bf", "0")));
                rows.put("VideoChunkWriter libx264 preset " + p + ", 1 thread", new Row(p, 1));
                rows.put("VideoChunkWriter libx264 preset " + p + ", threads auto", new Row(p, 0));
            }
        } else {
            rows.put("ffmpeg libopenh264 -threads 1, gray stdin (ffmpeg converts to yuv)", new Row(
                    ffmpegCmd(ffmpeg, dir, "gray", kbps, "-c:v", "libopenh264", "-threads", "1")));
            rows.put("ffmpeg libopenh264 -threads 1, yuv420p stdin (encoder alone)", new Row(
                    ffmpegCmd(ffmpeg, dir, "yuvj420p", kbps, "-c:v", "libopenh264", "-threads", "1")));
            rows.put("ffmpeg libopenh264 -threads 2 -slices 2, yuv420p stdin", new Row(
                    ffmpegCmd(ffmpeg, dir, "yuvj420p", kbps, "-c:v", "libopenh264", "-threads", "2", "-slices", "2")));
            rows.put("ffmpeg libopenh264 -threads 1 -loopfilter 0, yuv420p stdin", new Row(
                    ffmpegCmd(ffmpeg, dir, "yuvj420p", kbps, "-c:v", "libopenh264", "-threads", "1", "-loopfilter", "0")));
            for (int p : parallel) {
                rows.put("VideoChunkWriter, plain mp4, " + describe(p), new Row(Writer.CHUNK, p));
            }
            for (int p : new int[] {parallel[0], parallel[parallel.length - 1]}) {
                rows.put("ImgStoreWriter, ingest settings (fragmented mp4), " + describe(p), new Row(Writer.INGEST, p));
            }
        }
        if (Boolean.getBoolean("onlyKeyframeTable")) {
            keyframeTable(dir);
            return;
        }
        for (int round = 0; round < rounds; round++) {
            for (Row row : rows.values()) {
                row.run(dir, content, round == 0);
            }
        }
        System.out.println();
        System.out.println("| writing " + frames + " frames 1920x1200 gray (camera-like) | frames/s (median) | runs "
                + "| vs first row | CPU ms per frame (median) | MB | load |");
        System.out.println("|---|---|---|---|---|---|---|");
        double base = -1;
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            double fps = PerfCompare.median(r.fps.stream().mapToDouble(Double::doubleValue).toArray());
            if (base < 0) {
                base = fps;
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %s | %.2fx | %.1f | %.2f | %s |%n", e.getKey(), fps,
                    r.fps.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList(), fps / base,
                    PerfCompare.median(r.cpuMs.stream().mapToDouble(Double::doubleValue).toArray()), r.bytes / 1e6,
                    r.load);
        }
        if (!encoder.startsWith("libx264") && !Boolean.getBoolean("skipKeyframeTable")) {
            keyframeTable(dir);
        }
        System.out.printf(Locale.ROOT, "# done, load %s%n", PerfCompare.load());
    }

    static String describe(int parallel) {
        return parallel == 0 ? "encoded on the caller's thread (before)"
                : parallel == 1 ? "1 encoder thread" : parallel + " encoders on alternate GOPs";
    }

    enum Writer { CHUNK, INGEST }

    /** One row: an ffmpeg command, or one of our writers with a number of parallel encoders / an x264 preset. */
    static final class Row {
        final List<String> cmd;
        final Writer writer;
        final int parallel;
        final String preset;
        final List<Double> fps = new ArrayList<>();
        final List<Double> cpuMs = new ArrayList<>();
        long bytes;
        String load = "";

        Row(List<String> cmd) {
            this.cmd = cmd;
            this.writer = null;
            this.parallel = 0;
            this.preset = null;
        }

        Row(Writer writer, int parallel) {
            this.cmd = null;
            this.writer = writer;
            this.parallel = parallel;
            this.preset = null;
        }

        Row(String preset, int threads) {
            this.cmd = null;
            this.writer = Writer.CHUNK;
            this.parallel = threads;
            this.preset = preset;
        }

        void run(Path dir, byte[][] content, boolean verify) throws Exception {
            load = PerfCompare.load();
            if (cmd != null) {
                double[] r = ffmpeg(cmd, content);
                fps.add(r[0]);
                cpuMs.add(r[1]);
                bytes = Files.size(Path.of(cmd.get(cmd.size() - 1)));
                return;
            }
            Path out = dir.resolve("out_" + writer + "_" + parallel + (preset == null ? "" : "_" + preset));
            deleteTree(out);
            long t0;
            long cpu0 = processCpuNanos();
            Path chunk;
            if (writer == Writer.CHUNK) {
                Files.createDirectories(out);
                chunk = out.resolve("000000.mp4");
                VideoEncoderSettings s = VideoEncoderSettings.defaults();
                int threads = 1;
                if (preset != null) {
                    s = new VideoEncoderSettings(s.keyframeInterval(), s.quality(), preset, false);
                    threads = parallel;
                } else {
                    System.setProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY, String.valueOf(parallel));
                }
                t0 = System.nanoTime();
                try (VideoChunkWriter w = VideoChunkWriter.create(chunk, StoreFormat.AVC1_MP4, H, W, false,
                        PixelType.UINT8, s, threads)) {
                    if (preset == null && w.parallelEncoders() != parallel) {
                        throw new AssertionError("asked for " + parallel + " encoders, got " + w.parallelEncoders());
                    }
                    for (byte[] d : content) {
                        w.write(new Image(H, W, 1, PixelType.UINT8, d));
                    }
                }
            } else {
                System.setProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY, String.valueOf(parallel));
                StoreSpec spec = IngestSessions.specOf(new CreateStoreRequest("x", "avc1/mp4", List.of(H, W), "uint8",
                        null, Map.of(), null));
                chunk = out.resolve("000000.mp4");
                t0 = System.nanoTime();
                try (ImgStoreWriter w = ImgStoreWriter.create(out, spec)) {
                    for (int i = 0; i < content.length; i++) {
                        w.addImage(new Image(H, W, 1, PixelType.UINT8, content[i]), i, i / 25.0);
                    }
                }
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            cpuMs.add((processCpuNanos() - cpu0) / 1e6 / content.length);
            System.clearProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY);
            fps.add(content.length / sec);
            bytes = Files.size(chunk);
            if (verify) {
                verifyFrames(chunk, content.length);
            }
        }
    }

    /** Decodes every frame of {@code chunk} in order and checks its barcode (frame-exactness). */
    static void verifyFrames(Path chunk, int frames) {
        try (VideoChunkReader r = VideoChunkReader.open(chunk, false)) {
            if (r.frameCount() != frames) {
                throw new AssertionError(chunk + ": " + r.frameCount() + " frames, wrote " + frames);
            }
            for (int i = 0; i < frames; i++) {
                int got = Barcode.decodeStrip(r.readNext());
                if (got != i) {
                    throw new AssertionError(chunk + ": frame " + i + " carries barcode " + got);
                }
            }
        }
    }

    static List<String> ffmpegCmd(String ffmpeg, Path dir, String pixFmt, long kbps, String... codecArgs) {
        List<String> c = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-benchmark", "-f", "rawvideo",
                "-pix_fmt", pixFmt, "-s", W + "x" + H, "-r", "25", "-i", "pipe:0"));
        c.addAll(List.of(codecArgs));
        c.addAll(List.of("-b:v", kbps + "k", "-g", String.valueOf(VideoEncoderSettings.DEFAULT_KEYFRAME_INTERVAL), "-y",
                "-f", "mp4", dir.resolve("ffmpeg_" + Math.abs(String.join(" ", codecArgs).hashCode() + pixFmt.hashCode())
                        + ".mp4").toString()));
        return c;
    }

    /** CPU time of this JVM, all threads (encoder threads, GC and JIT included). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Frames/s of ffmpeg's own loop ({@code -benchmark} rtime, no process start) and its CPU ms per
     * frame (utime + stime), frames fed on stdin.
     */
    static double[] ffmpeg(List<String> cmd, byte[][] content) throws Exception {
        boolean yuv = cmd.contains("yuvj420p");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] chroma = new byte[W * H / 2];
        Arrays.fill(chroma, (byte) 128);
        Thread feeder = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                for (byte[] d : content) {
                    in.write(d);
                    if (yuv) {
                        in.write(chroma);
                    }
                }
            } catch (IOException e) {
                // ffmpeg exited early: its output says why
            }
        });
        feeder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        feeder.join();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + out);
        }
        Matcher m = Pattern.compile("utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no utime/stime/rtime in ffmpeg output: " + out);
        }
        double cpu = Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
        return new double[] {content.length / Double.parseDouble(m.group(3)), cpu * 1000 / content.length};
    }

    /** Camera-like frames: barcode bars over a fixed texture with fresh noise ±4 per frame. */
    static byte[][] content(int frames) {
        byte[] texture = texture();
        SplittableRandom rnd = new SplittableRandom(7);
        byte[][] out = new byte[frames][];
        for (int i = 0; i < frames; i++) {
            out[i] = frame(i, texture, rnd);
        }
        return out;
    }

    static byte[] texture() {
        SplittableRandom rnd = new SplittableRandom(3);
        byte[] texture = new byte[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double v = 128 + 50 * Math.sin(x / 9.0) * Math.cos(y / 13.0) + rnd.nextInt(-30, 31);
                texture[y * W + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        return texture;
    }

    static byte[] frame(int i, byte[] texture, SplittableRandom rnd) {
        byte[] d = Barcode.frame(i, H, W, false).data().clone();
        for (int p = (H / 8) * W; p < d.length; p++) {
            d[p] = (byte) Math.max(0, Math.min(255, (texture[p] & 0xff) + rnd.nextInt(-4, 5)));
        }
        return d;
    }

    // ---- keyframe interval vs random read vs size ----

    /**
     * For each keyframe interval: a 250-frame chunk (10 s at 25 fps) written with the default
     * settings otherwise, its size, PSNR of the decoded frames against the originals, and the wall
     * and thread CPU time of 25 random exact reads (decoded-frame cache off, one decoder thread, as
     * the store's pool, which decodes on the calling thread).
     */
    static void keyframeTable(Path dir) {
        int frames = 250;
        byte[] texture = texture();
        DecodedFrameCache.shared().setCapacity(0);
        System.out.println();
        System.out.println("| keyframe interval (1920x1200 gray camera-like, 250 frames, 2000 kbit/s per megapixel) "
                + "| file MB | MB per 1,000 frames | PSNR dB | random read median (wall) | p90 (wall) "
                + "| random read median (thread CPU) | load |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int gop : new int[] {5, 10, 25, 50, 250}) {
            Path f = dir.resolve("gop" + gop + ".mp4");
            VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(gop).withFragmented(true);
            SplittableRandom rnd = new SplittableRandom(11);
            try (VideoChunkWriter w = VideoChunkWriter.create(f, StoreFormat.AVC1_MP4, H, W, false, PixelType.UINT8, s)) {
                for (int i = 0; i < frames; i++) {
                    w.write(new Image(H, W, 1, PixelType.UINT8, frame(i, texture, rnd)));
                }
            }
            // PSNR over every 5th frame, from a sequential decode against the regenerated originals
            double se = 0;
            long n = 0;
            rnd = new SplittableRandom(11);
            try (VideoChunkReader r = VideoChunkReader.open(f, false)) {
                for (int i = 0; i < frames; i++) {
                    byte[] orig = frame(i, texture, rnd);
                    Image got = r.readNext();
                    if (Barcode.decodeStrip(got) != i) {
                        throw new AssertionError(f + ": frame " + i);
                    }
                    if (i % 5 == 0) {
                        byte[] g = got.data();
                        for (int p = (H / 8) * W; p < orig.length; p++) {
                            int e = (orig[p] & 0xff) - (g[p] & 0xff);
                            se += e * e;
                            n++;
                        }
                    }
                }
            }
            double psnr = 10 * Math.log10(255.0 * 255.0 / (se / n));
            SplittableRandom pick = new SplittableRandom(5);
            double[] ms = new double[25];
            double[] cpuMs = new double[ms.length];
            java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
            try (VideoChunkReader r = VideoChunkReader.open(f, false)) {
                for (int k = 0; k < ms.length; k++) {
                    int idx = pick.nextInt(frames);
                    long c0 = tm.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    Image img = r.read(idx);
                    ms[k] = (System.nanoTime() - t0) / 1e6;
                    cpuMs[k] = (tm.getCurrentThreadCpuTime() - c0) / 1e6;
                    if (Barcode.decodeStrip(img) != idx) {
                        throw new AssertionError(f + ": random read " + idx);
                    }
                }
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            long size = f.toFile().length();
            System.out.printf(Locale.ROOT, "| %d | %.2f | %.1f | %.2f | %.1f ms | %.1f ms | %.1f ms | %s |%n", gop,
                    size / 1e6, size / 1e6 * 1000 / frames, psnr, PerfCompare.median(ms),
                    sorted[(int) (sorted.length * 0.9)], PerfCompare.median(cpuMs), PerfCompare.load());
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
