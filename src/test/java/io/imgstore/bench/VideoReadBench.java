package io.imgstore.bench;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.codec.CodecInfo;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.codec.ImageOps;
import io.imgstore.format.codec.VideoChunkReader;
import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Write / random-read / sequential-read figures for video chunks, to choose
 * {@link VideoEncoderSettings#defaults()}. Not a test (not run by surefire). Run with:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.imgstore.bench.VideoReadBench size=512x512,1920x1200 gop=10,25,50 q=1000,2000 \
 *     formats=avc1/mp4 frames=250 reads=200 color=false threads=1
 * </pre>
 *
 * Frames: a barcode strip (verified on every read) over a moving photographic texture
 * ({@code ../shared/fixtures/real/graffiti.png}, or a synthetic one) with Gaussian noise
 * (sigma 3), like a lab camera. "decode-only" is a plain demux+decode loop with no pixel
 * conversion, the work {@code ffmpeg -threads 1 -i file -f null -} does. Times are CPU time of the
 * calling thread (the machine this was tuned on is shared, wall time is noise); with decoder
 * threads=1 all decoding happens on the calling thread. write/s is CPU-time based too, except with
 * encthreads != 1 (then wall time, shown negative). PSNR: 10 decoded frames against the source.
 */
public final class VideoReadBench {

    private VideoReadBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        String[] sizes = a.getOrDefault("size", "512x512,1920x1200").split(",");
        int[] gops = ints(a.getOrDefault("gop", String.valueOf(VideoEncoderSettings.DEFAULT_KEYFRAME_INTERVAL)));
        int[] qs = ints(a.getOrDefault("q", String.valueOf(VideoEncoderSettings.DEFAULT_H264_KBPS_PER_MEGAPIXEL)));
        String[] formats = a.getOrDefault("formats", "avc1/mp4").split(",");
        int frames = Integer.parseInt(a.getOrDefault("frames", "250"));
        int reads = Integer.parseInt(a.getOrDefault("reads", "200"));
        boolean color = Boolean.parseBoolean(a.getOrDefault("color", "false"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        int encThreads = Integer.parseInt(a.getOrDefault("encthreads", "1"));
        boolean keep = Boolean.parseBoolean(a.getOrDefault("keep", "false"));
        Path dir = Files.createTempDirectory("imgstore-bench");

        System.out.println("# " + CodecInfo.versions() + "; H.264 encoder: " + CodecInfo.h264Encoder());
        System.out.println("# cores=" + Runtime.getRuntime().availableProcessors() + " frames/file=" + frames
                + " random reads=" + reads + " color=" + color + " decoder threads=" + threads);
        System.out.println("# times in ms of CPU time of the calling thread (load-independent; decoder threads=1"
                + " decodes on the caller), [wall] in brackets");
        System.out.printf("%-10s %-9s %4s %5s | %8s %8s %7s %6s | %7s | %7s %7s %7s %9s | %8s %8s%n",
                "size", "format", "gop", "q", "write/s", "MB/file", "kbit/s", "PSNR", "open ms",
                "rnd med", "p90", "mean", "[wall med]", "seq fps", "dec fps");
        for (String size : sizes) {
            String[] wh = size.split("x");
            int w = Integer.parseInt(wh[0]);
            int h = Integer.parseInt(wh[1]);
            Image texture = texture(w, h, color);
            byte[] noise = noise(1 << 20);
            for (String fmtName : formats) {
                StoreFormat format = StoreFormat.of(fmtName);
                boolean mjpeg = format.equals(StoreFormat.MJPEG_AVI);
                for (int gop : mjpeg ? new int[] {1} : gops) {
                    for (int q : mjpeg ? ints(a.getOrDefault("qscale", "3")) : qs) {
                        run(dir, format, w, h, color, gop, q, frames, reads, threads, encThreads, texture, noise,
                                keep);
                    }
                }
            }
        }
        if (!keep) {
            try (var s = Files.list(dir)) {
                s.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        } else {
            System.out.println("# files kept in " + dir);
        }
    }

    private static void run(Path dir, StoreFormat format, int w, int h, boolean color, int gop, int q, int frames,
                            int reads, int threads, int encThreads, Image texture, byte[] noise, boolean keep) {
        Path file = dir.resolve(w + "x" + h + "_g" + gop + "_q" + q + format.extension());
        VideoEncoderSettings settings = new VideoEncoderSettings(gop, q, "medium", false);
        long writeNs = 0;
        long writeWall = System.nanoTime();
        try (VideoChunkWriter wr = VideoChunkWriter.create(file, format, h, w, color, PixelType.UINT8, settings,
                encThreads)) {
            for (int i = 0; i < frames; i++) {
                Image img = Barcode.texturedFrame(i, h, w, color, texture, noise, i);
                long t0 = cpu();
                wr.write(img);
                writeNs += cpu() - t0;
            }
            long t0 = cpu();
            wr.close();
            writeNs += cpu() - t0;
        }
        long bytes = file.toFile().length();
        writeWall = System.nanoTime() - writeWall;

        // open (demux the frame table)
        long t0 = cpu();
        VideoChunkReader r = VideoChunkReader.open(file, color, threads);
        double openMs = (cpu() - t0) / 1e6;
        double[] lat = new double[reads];
        double[] wall = new double[reads];
        Random rnd = new Random(12345);
        try (r) {
            if (r.frameCount() != frames) {
                throw new AssertionError(file + ": " + r.frameCount() + " frames, wrote " + frames);
            }
            for (int i = 0; i < 20; i++) { // warm-up (JIT, caches)
                int idx = rnd.nextInt(frames);
                check(r.read(idx), idx, file);
            }
            for (int i = 0; i < reads; i++) {
                int idx = rnd.nextInt(frames);
                long c = cpu();
                long s = System.nanoTime();
                Image img = r.read(idx);
                wall[i] = (System.nanoTime() - s) / 1e6;
                lat[i] = (cpu() - c) / 1e6;
                check(img, idx, file);
            }
        }
        // sequential, through the reader (conversion to Image included)
        double seqFps;
        try (VideoChunkReader s = VideoChunkReader.open(file, color, threads)) {
            long s0 = cpu();
            for (int i = 0; i < frames; i++) {
                s.readNext();
            }
            seqFps = frames / ((cpu() - s0) / 1e9);
        }
        double decFps = decodeOnlyFps(file, 1);
        double psnr = psnr(file, color, frames, w, h, texture, noise);
        Arrays.sort(lat);
        Arrays.sort(wall);
        double mean = Arrays.stream(lat).average().orElse(0);
        System.out.printf("%-10s %-9s %4d %5d | %8.1f %8.2f %7.0f %6.2f | %7.1f | %7.2f %7.2f %7.2f %9.2f | %8.1f %8.1f%n",
                w + "x" + h, format.name(), gop, q, encThreads == 1 ? frames / (writeNs / 1e9)
                        : -frames / (writeWall / 1e9), bytes / 1e6,
                bytes * 8.0 / 1000 / (frames / 25.0), psnr, openMs,
                lat[lat.length / 2], lat[(int) (lat.length * 0.9)], mean, wall[wall.length / 2], seqFps, decFps);
        if (!keep) {
            file.toFile().delete();
        }
    }

    /** PSNR (dB) of 10 evenly spaced decoded frames against the frames written. */
    private static double psnr(Path file, boolean color, int frames, int w, int h, Image texture, byte[] noise) {
        double se = 0;
        long n = 0;
        try (VideoChunkReader r = VideoChunkReader.open(file, color)) {
            for (int k = 0; k < 10; k++) {
                int i = k * (frames - 1) / 9;
                byte[] got = r.read(i).data();
                byte[] want = Barcode.texturedFrame(i, h, w, color, texture, noise, i).data();
                for (int j = 0; j < got.length; j++) {
                    double d = (got[j] & 0xff) - (want[j] & 0xff);
                    se += d * d;
                }
                n += got.length;
            }
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / n));
    }

    private static void check(Image img, int idx, Path file) {
        int got = Barcode.decodeStrip(img);
        if (got != idx) {
            throw new AssertionError(file + ": read frame " + idx + " but its barcode says " + got);
        }
    }

    /** Demux + decode every frame, no conversion: what {@code ffmpeg -threads N -i f -f null -} measures. */
    static double decodeOnlyFps(Path file, int threads) {
        AVFormatContext fmt = new AVFormatContext(null);
        if (avformat_open_input(fmt, file.toString(), null, null) < 0) {
            throw new IllegalStateException("cannot open " + file);
        }
        AVCodecContext ctx = null;
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        try {
            avformat_find_stream_info(fmt, (AVDictionary) null);
            int si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            AVCodec codec = avcodec_find_decoder(fmt.streams(si).codecpar().codec_id());
            ctx = avcodec_alloc_context3(codec);
            avcodec_parameters_to_context(ctx, fmt.streams(si).codecpar());
            ctx.thread_count(threads);
            avcodec_open2(ctx, codec, (AVDictionary) null);
            long n = 0;
            long t0 = cpu();
            while (av_read_frame(fmt, pkt) >= 0) {
                if (pkt.stream_index() == si) {
                    avcodec_send_packet(ctx, pkt);
                    while (avcodec_receive_frame(ctx, frame) >= 0) {
                        n++;
                    }
                }
                av_packet_unref(pkt);
            }
            avcodec_send_packet(ctx, null);
            while (avcodec_receive_frame(ctx, frame) >= 0) {
                n++;
            }
            return n / ((cpu() - t0) / 1e9);
        } finally {
            av_frame_free(frame);
            av_packet_free(pkt);
            if (ctx != null) {
                avcodec_free_context(ctx);
            }
            avformat_close_input(fmt);
        }
    }

    /** CPU time of the calling thread, ns. */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    static Image texture(int w, int h, boolean color) {
        Path graffiti = Fixtures.root().resolve("real/graffiti.png");
        if (Files.isRegularFile(graffiti)) {
            return ImageOps.resize(ImageCodec.read(graffiti, color), w, h);
        }
        Image img = Image.blank(h, w, color ? 3 : 1, PixelType.UINT8);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < img.channels(); c++) {
                    img.setSample(y, x, c, (int) (128 + 60 * Math.sin(x / 7.0 + c) * Math.cos(y / 11.0)));
                }
            }
        }
        return img;
    }

    static byte[] noise(int n) {
        Random r = new Random(7);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) Math.max(-127, Math.min(127, Math.round(r.nextGaussian() * 3)));
        }
        return b;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
