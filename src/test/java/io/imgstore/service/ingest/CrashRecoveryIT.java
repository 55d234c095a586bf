package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.PackagedServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Starts the packaged jar, has two rigs push frames (an npy and an avc1/mp4 store) at 50 fps,
 * {@code kill -9}s the server mid-chunk, restarts it and checks that each store kept every frame
 * but at most those of the last second, that every frame's barcode is right, and that the stores
 * can be continued and closed. Needs {@code target/imgstore.jar} (run by failsafe after package).
 */
class CrashRecoveryIT {

    private static final int H = 120;
    private static final int W = 160;
    private static final int FPS = 50;

    @TempDir
    Path tmp;

    private Process server;
    private int port;
    private final IngestHttp http = new IngestHttp(() -> port);

    @AfterEach
    void stop() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
    }

    private void start(Path root, Path log, String encoders) throws Exception {
        server = PackagedServer.start(port, log, List.of("-Xmx512m", "-Dimgstore.encoder.parallel=" + encoders),
                "--imgstore.root=" + root, "--imgstore.demo=false");
    }

    /** A rig: pushes frames 0, 1, ... at FPS on one chunked POST until the server dies. */
    private static final class Rig extends Thread {
        final String id;
        final int port;
        final List<Long> sentAt = new ArrayList<>(); // nanoTime when frame i was handed to the socket

        Rig(String id, int port) {
            super("rig-" + id);
            this.id = id;
            this.port = port;
        }

        @Override
        public void run() {
            try (Socket s = new Socket("localhost", port)) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /stores/" + id + "/frames HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                        + IngestController.FRAMES + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                long t0 = System.nanoTime();
                for (long n = 0; ; n++) {
                    byte[] rec = Records.raw(n, 1_700_000_000 + n / (double) FPS, H, W, 1, null);
                    out.write((Integer.toHexString(rec.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(rec);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    synchronized (sentAt) {
                        sentAt.add(System.nanoTime());
                    }
                    long next = t0 + (n + 1) * 1_000_000_000L / FPS;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the server was killed
            }
        }

        long sentBefore(long nanoTime) {
            synchronized (sentAt) {
                return sentAt.stream().filter(t -> t <= nanoTime).count();
            }
        }

        long sent() {
            synchronized (sentAt) {
                return sentAt.size();
            }
        }
    }

    /**
     * {@code auto}: these 160x120 frames are encoded on the request thread; {@code 2}: two encoders
     * on alternate groups of pictures with frames queued for them (the default for frames of a
     * megapixel or more), whose queue a kill loses too.
     */
    @ParameterizedTest(name = "encoders {0}")
    @ValueSource(strings = {"auto", "2"})
    void killMinus9WhileRigsPushLosesAtMostTheLastSecond(String encoders) throws Exception {
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Path root = Files.createDirectories(tmp.resolve("stores"));
        Path log = tmp.resolve("server.log");
        start(root, log, encoders);
        String npy = http.create("rig1/crash_npy", "npy", H, W, 60);
        String mp4 = http.create("rig2/crash_mp4", "avc1/mp4", H, W, 60);
        Rig a = new Rig(npy, port);
        Rig b = new Rig(mp4, port);
        a.start();
        b.start();
        Thread.sleep(3_300); // lands inside the 4th chunk of 60 frames
        long killedAt = System.nanoTime();
        server.destroyForcibly(); // SIGKILL on the java process itself
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        a.join(10_000);
        b.join(10_000);
        long lastSecond = killedAt - TimeUnit.SECONDS.toNanos(1);
        assertThat(Files.exists(root.resolve("rig1/crash_npy/.lock"))).as("killed writer leaves .lock").isTrue();

        start(root, log, encoders);
        for (Rig rig : List.of(a, b)) {
            // continue the recovered store with 20 more frames numbered from 10000, then close it
            byte[] more = Records.frames(10_000, 10_020, H, W, 1);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + rig.id + "/frames"))
                    .header("Content-Type", IngestController.FRAMES)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(more)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            long recovered = Records.JSON.readTree(r.body()).get("frame_count").asLong() - 20;
            System.out.printf("%s: sent %d, sent before the last second %d, recovered %d%n", rig.id, rig.sent(),
                    rig.sentBefore(lastSecond), recovered);
            assertThat(recovered).as("frames recovered in " + rig.id).isGreaterThanOrEqualTo(rig.sentBefore(lastSecond))
                    .isLessThanOrEqualTo(rig.sent());
            r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + rig.id + "/close"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode summary = Records.JSON.readTree(r.body());
            assertThat(summary.get("frame_count").asLong()).isEqualTo(recovered + 20);
        }
        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();

        for (String path : List.of("rig1/crash_npy", "rig2/crash_mp4")) {
            Path dir = root.resolve(path);
            assertThat(dir.resolve(".lock")).doesNotExist();
            try (ImgStore s = ImgStore.open(dir)) {
                int n = s.frameCount();
                int recovered = n - 20;
                for (int i = 0; i < n; i++) {
                    Frame f = s.getFrameByIndex(i);
                    long expected = i < recovered ? i : 10_000 + (i - recovered);
                    assertThat(f.info().frameNumber()).as("%s frame %d", path, i).isEqualTo(expected);
                    assertThat(Barcode.decode(f.image())).as("%s barcode of frame %d", path, i)
                            .isEqualTo(Barcode.expected(expected));
                }
            }
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".journal")))
                        .as("no journal left").isEmpty();
            }
        }
        File f = log.toFile();
        assertThat(Files.readString(f.toPath())).contains("recovered store rig1~crash_npy");
    }
}
