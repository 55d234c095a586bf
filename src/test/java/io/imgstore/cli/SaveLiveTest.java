package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.testing.Barcode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code save} from a live network stream: JavaCV's own ffmpeg executable serves barcoded frames
 * on loopback in real time ({@code -re}), the CLI records them.
 */
class SaveLiveTest {

    static final int W = 160;
    static final int H = 96;

    @TempDir
    Path tmp;

    private Process ffmpeg;

    @AfterEach
    void stopFfmpeg() throws InterruptedException {
        if (ffmpeg != null) {
            ffmpeg.destroy();
            if (!ffmpeg.waitFor(5, TimeUnit.SECONDS)) {
                ffmpeg.destroyForcibly();
            }
        }
    }

    /** An MJPEG file whose frame i shows barcode i, 25 frames/s. */
    private Path barcodeVideo(int n) {
        Path video = tmp.resolve("source.avi");
        try (VideoChunkWriter w = VideoChunkWriter.create(video, StoreFormat.MJPEG_AVI, H, W, false, PixelType.UINT8,
                VideoEncoderSettings.mjpegDefaults())) {
            for (int i = 0; i < n; i++) {
                w.write(Barcode.draw(i, H, W, 1, PixelType.UINT8));
            }
        }
        return video;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Serves the file once, in real time, as an HTTP MJPEG camera stream (multipart) on loopback. */
    private String serve(Path video) throws Exception {
        String exe = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(exe, "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", video.toString(),
                "-c:v", "mjpeg", "-q:v", "2", "-f", "mpjpeg", "-listen", "1", "http://127.0.0.1:" + port + "/cam"));
        ffmpeg = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("ffmpeg.log").toFile())
                .start();
        return "http://127.0.0.1:" + port + "/cam";
    }

    private String ffmpegLog() {
        try {
            return java.nio.file.Files.readString(tmp.resolve("ffmpeg.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void recordsThirtyFramesFromALoopbackStreamWithWallClockTimes() throws Exception {
        String url = serve(barcodeVideo(150));
        Path store = tmp.resolve("rec");
        double before = Instant.now().toEpochMilli() / 1000.0;
        CliTest.Run run = null;
        // ffmpeg needs a moment to listen: retry the connection for a few seconds
        for (int attempt = 0; attempt < 20; attempt++) {
            run = CliTest.run("save", "--source", url, "-I", "reconnect=0", "--frames", "30", "--format", "png", "--gray", "-o", store.toString());
            if (run.exit() == 0 || !run.err().contains("error -111")) {
                break;
            }
            Thread.sleep(250);
        }
        CliTest.Run r = run;
        double after = Instant.now().toEpochMilli() / 1000.0;
        assertThat(r.exit()).as(() -> r.err() + "\nffmpeg: " + ffmpegLog()).isZero();
        assertThat(r.out()).contains("saved 30 frames");
        try (ImgStore s = ImgStore.open(store)) {
            assertThat(s.frameCount()).isEqualTo(30);
            assertThat(s.imgshape()).containsExactly(H, W);
            double prev = Double.NEGATIVE_INFINITY;
            int prevBarcode = -1;
            for (int i = 0; i < 30; i++) {
                Frame f = s.getFrameByIndex(i);
                assertThat(f.frameNumber()).isEqualTo(i);
                assertThat(f.frameTime()).isGreaterThan(prev).isBetween(before - 1, after + 1);
                prev = f.frameTime();
                int code = Barcode.decode(f.image());
                assertThat(code).as("barcode of frame %d", i).isGreaterThan(prevBarcode);
                prevBarcode = code;
            }
            // real time: 30 frames of a 25 frames/s stream span about 1.16 s of source clock
            assertThat(s.frameTimeMax() - s.frameTimeMin()).isBetween(29 / 25.0 - 0.3, 29 / 25.0 + 0.3);
        }
    }

    private static long pngFiles(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
            return s.filter(f -> f.toString().endsWith(".png")).count();
        }
    }

    /** SIGTERM (as Ctrl+C's SIGINT) mid-recording: the shutdown hook lets save close the store cleanly. */
    @Test
    void stopsCleanlyOnSigterm() throws Exception {
        String url = serve(barcodeVideo(1000));
        Path store = tmp.resolve("stopped");
        String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = null;
        for (int attempt = 0; attempt < 20 && p == null; attempt++) {
            Process candidate = new ProcessBuilder(javaExe, "-cp", System.getProperty("java.class.path"),
                    io.imgstore.ImgstoreApplication.class.getName(), "save", "--source", url, "--format", "png", "--gray",
                    "--chunksize", "7", "-o", store.toString())
                    .redirectError(tmp.resolve("save.err").toFile()).redirectOutput(tmp.resolve("save.out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && candidate.isAlive()
                    && !java.nio.file.Files.exists(store.resolve("metadata.yaml"))) {
                Thread.sleep(100);
            }
            if (candidate.isAlive()) {
                p = candidate;
            } else if (!java.nio.file.Files.readString(tmp.resolve("save.err")).contains("error -111")) {
                throw new AssertionError("save ended early: " + java.nio.file.Files.readString(tmp.resolve("save.err")));
            } else {
                Thread.sleep(250);
            }
        }
        assertThat(p).as("save never connected: " + ffmpegLog()).isNotNull();
        // stop once a dozen frames are on disk (the first ones wait for native libraries to load)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive() && pngFiles(store) < 12) {
            Thread.sleep(100);
        }
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("save did not stop").isTrue();
        String out = java.nio.file.Files.readString(tmp.resolve("save.out"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("saved (\\d+) frames").matcher(out);
        assertThat(m.find()).as(out + java.nio.file.Files.readString(tmp.resolve("save.err"))).isTrue();
        int saved = Integer.parseInt(m.group(1));
        assertThat(saved).isGreaterThan(10);
        try (ImgStore s = ImgStore.open(store)) {
            assertThat(s.frameCount()).isEqualTo(saved);
            long[] numbers = s.frameMetadata().frameNumbers();
            double[] times = s.frameMetadata().frameTimes();
            for (int i = 0; i < saved; i++) {
                assertThat(numbers[i]).isEqualTo(i);
                assertThat(i == 0 || times[i] > times[i - 1]).as("time of frame %d increases", i).isTrue();
            }
            assertThat(Barcode.decode(s.getFrameByIndex(saved - 1).image())).isGreaterThan(0);
        }
    }
}
