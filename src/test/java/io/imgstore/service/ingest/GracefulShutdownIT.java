package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.PackagedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code docker stop} (SIGTERM) while two rigs stream, one over a chunked POST and one over a
 * WebSocket, into the packaged jar: the server ends both streams and exits within seconds (not at
 * the shutdown phase's timeout), the POST gets 503 {@code /problems/shutting-down} with
 * {@code frames_accepted}, the WebSocket that problem and close status 1012; each store is closed
 * cleanly (no {@code .lock}) holding exactly the frames the server accepted, each with its barcode,
 * and is listed for reopening at the next start. Needs {@code target/imgstore.jar}.
 */
class GracefulShutdownIT {

    private static final int H = 120;
    private static final int W = 160;
    private static final int FPS = 50;

    @TempDir
    Path tmp;

    private Process server;
    private int port;
    private final IngestHttp http = new IngestHttp(() -> port);

    @AfterEach
    void stop() throws IOException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
        Path log = tmp.resolve("server.log");
        if (Files.exists(log)) {
            Files.copy(log, Path.of("target", "GracefulShutdownIT-server.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void start(Path root, Path log) throws Exception {
        server = PackagedServer.start(port, log, List.of("-Xmx512m"), "--imgstore.root=" + root, "--imgstore.demo=false");
    }

    /** A rig on a chunked POST: frames 0, 1, ... at FPS until the server answers; keeps the answer. */
    private static final class PostRig extends Thread {
        final String id;
        final int port;
        volatile String response = "";

        PostRig(String id, int port) {
            super("post-rig-" + id);
            this.id = id;
            this.port = port;
        }

        @Override
        public void run() {
            try (Socket s = new Socket("localhost", port)) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                Thread reader = new Thread(() -> {
                    try {
                        in.transferTo(answer);
                    } catch (IOException ignored) {
                        // closed
                    }
                    synchronized (this) {
                        response = answer.toString(StandardCharsets.UTF_8);
                    }
                });
                reader.start();
                out.write(("POST /stores/" + id + "/frames HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                        + IngestController.FRAMES + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                long t0 = System.nanoTime();
                try {
                    for (long n = 0; reader.isAlive(); n++) {
                        byte[] rec = Records.raw(n, 1_700_000_000 + n / (double) FPS, H, W, 1, null);
                        out.write((Integer.toHexString(rec.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(rec);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        long wait = t0 + (n + 1) * 1_000_000_000L / FPS - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } catch (IOException e) {
                    // the server closed the connection after answering
                }
                reader.join(15_000);
            } catch (IOException | InterruptedException e) {
                // gone
            }
        }
    }

    /** A rig on a WebSocket: one binary message per frame at FPS; keeps the server's messages and close status. */
    private static final class WsRig implements WebSocket.Listener {
        final StringBuilder texts = new StringBuilder();
        final StringBuilder current = new StringBuilder();
        final AtomicLong acknowledged = new AtomicLong();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile String closeReason;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            current.append(data);
            if (last) {
                String t = current.toString();
                current.setLength(0);
                synchronized (texts) {
                    texts.append(t).append('\n');
                }
                try {
                    JsonNode n = Records.JSON.readTree(t);
                    if (n.has("frames_written")) {
                        acknowledged.set(n.get("frames_written").asLong());
                    }
                } catch (RuntimeException ignored) {
                    // not JSON
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closeReason = reason;
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }

    @Test
    void sigtermWhileRigsStreamEndsTheStreamsAndClosesTheStoresWithinSeconds() throws Exception {
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Path root = Files.createDirectories(tmp.resolve("stores"));
        Path log = tmp.resolve("server.log");
        start(root, log);
        String npy = http.create("rig1/stop_npy", "npy", H, W, 60);
        String mp4 = http.create("rig2/stop_mp4", "avc1/mp4", H, W, 60);

        PostRig post = new PostRig(npy, port);
        post.start();
        WsRig wsRig = new WsRig();
        WebSocket ws = http.client().newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/stores/" + mp4
                + "/ingest"), wsRig).get(10, TimeUnit.SECONDS);
        Thread wsSender = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                for (long n = 0; !wsRig.closed.isDone(); n++) {
                    ws.sendBinary(ByteBuffer.wrap(Records.raw(n, 1_700_000_000 + n / (double) FPS, H, W, 1, null)), true)
                            .get(10, TimeUnit.SECONDS);
                    long wait = t0 + (n + 1) * 1_000_000_000L / FPS - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (Exception e) {
                // closed by the server
            }
        }, "ws-rig");
        wsSender.start();

        // both rigs under way (the first H.264 frames wait for the codec natives to load)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Thread.sleep(2_500);
        while (wsRig.acknowledged.get() < 50 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(wsRig.acknowledged.get()).as("frames written of the WebSocket rig before the stop").isGreaterThanOrEqualTo(50);
        long stopAt = System.nanoTime();
        server.destroy(); // SIGTERM, as docker stop
        assertThat(server.waitFor(15, TimeUnit.SECONDS)).as("server exits within 15 s of SIGTERM, see " + log).isTrue();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
        System.out.printf("SIGTERM to exit: %d ms, exit code %d%n", stopMillis, server.exitValue());
        assertThat(server.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
        assertThat(stopMillis).as("stop time").isLessThan(10_000);
        post.join(15_000);
        wsSender.join(15_000);

        // the POST: 503 shutting-down with frames_accepted
        String answer = post.response;
        assertThat(answer).as("POST answer").startsWith("HTTP/1.1 503").contains("/problems/shutting-down");
        JsonNode postProblem = Records.JSON.readTree(answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1));
        long postAccepted = postProblem.get("frames_accepted").asLong();
        assertThat(postAccepted).as("frames of the POST").isGreaterThan(50);

        // the WebSocket: the problem, then close 1012
        assertThat(wsRig.closed.get(5, TimeUnit.SECONDS)).as("close status").isEqualTo(1012);
        String wsTexts;
        synchronized (wsRig.texts) {
            wsTexts = wsRig.texts.toString();
        }
        assertThat(wsTexts).contains("/problems/shutting-down");
        String last = wsTexts.lines().filter(l -> l.contains("shutting-down")).findFirst().orElseThrow();
        long wsAccepted = Records.JSON.readTree(last).get("frames_accepted").asLong();
        assertThat(wsAccepted).as("frames of the WebSocket").isGreaterThan(50)
                .isGreaterThanOrEqualTo(wsRig.acknowledged.get());

        for (var e : List.of(java.util.Map.entry("rig1/stop_npy", postAccepted),
                java.util.Map.entry("rig2/stop_mp4", wsAccepted))) {
            Path dir = root.resolve(e.getKey());
            assertThat(dir.resolve(".lock")).as(".lock of " + e.getKey()).doesNotExist();
            try (ImgStore s = ImgStore.open(dir)) {
                assertThat((long) s.frameCount()).as("frames in " + e.getKey()).isEqualTo(e.getValue());
                for (int i = 0; i < s.frameCount(); i++) {
                    Frame f = s.getFrameByIndex(i);
                    assertThat(f.info().frameNumber()).isEqualTo(i);
                    assertThat(Barcode.decode(f.image())).as("%s barcode of frame %d", e.getKey(), i)
                            .isEqualTo(Barcode.expected(i));
                }
            }
        }
        assertThat(Files.readString(root.resolve(".ingest/reopen"))).contains("rig1/stop_npy").contains("rig2/stop_mp4");
        assertThat(Files.readString(log)).contains("ended 2 ingest stream(s) for shutdown");
    }
}
