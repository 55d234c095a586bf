package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Slow clients must not starve readers: 300 clients trickle request bodies (1 byte every 300 ms)
 * into frame uploads, with the default Tomcat (200 threads) and upload limits, while a reader fetches
 * frames; every read answers within a second.
 */
@ServiceIntegrationTest
class SlowUploadIntegrationTests {

    static Path root;

    static {
        try {
            root = Files.createTempDirectory("imgstore-slow-it");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (ImgStoreWriter w = ImgStoreWriter.create(root.resolve("read/me"),
                StoreSpec.of(StoreFormat.NPY, 24, 32).withChunksize(10))) {
            for (int i = 0; i < 30; i++) {
                w.addImage(Barcode.draw(i, 24, 32, 1, PixelType.UINT8), i, 100.0 + i);
            }
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.ingest.upload-rate-window", () -> "3s");
    }

    @AfterAll
    static void clean() throws IOException {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    UploadLimitValve valve;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private String create(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"" + path
                        + "\", \"format\": \"npy\", \"imgshape\": [24, 32], \"imgdtype\": \"uint8\", \"chunksize\": 10}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.body()).get("id").asString();
    }

    @Test
    void tricklingUploadsDoNotStarveReads() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(create("slow/s" + i));
        }
        byte[] record = Records.frames(0, 1, 24, 32, 1);
        List<Socket> sockets = new ArrayList<>();
        List<Long> slowest = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("localhost", port);
                s.setSoTimeout(100);
                s.getOutputStream().write(("POST /stores/" + ids.get(i % ids.size()) + "/frames HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: " + IngestController.FRAMES + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(record.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                sockets.add(s);
            }
            long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            int pos = 0;
            int read = 0;
            while (System.nanoTime() < end) {
                // one byte more on every trickling upload (never a whole record)
                int p = pos;
                for (Socket s : sockets) {
                    try {
                        OutputStream o = s.getOutputStream();
                        o.write(record[Math.min(p, record.length - 2)]);
                        o.flush();
                    } catch (IOException closedByServer) {
                        // refused (503) or ended (408): the server closed it
                    }
                }
                pos++;
                // a reader meanwhile: every read answers within a second
                for (int k = 0; k < 3; k++) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                    + "/stores/read~me/frames/by-index/" + (read++ % 30) + "?format=npy"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    slowest.add(ms);
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(ms).as("read %d took %d ms", read, ms).isLessThan(1000);
                }
                Thread.sleep(300);
            }
            assertThat(valve.rejected()).as("uploads beyond the limit were refused").isPositive();
            // a refused upload got the busy problem
            int busy = 0;
            for (Socket s : sockets) {
                try {
                    InputStream in = s.getInputStream();
                    byte[] buf = in.readNBytes(in.available());
                    if (new String(buf, StandardCharsets.ISO_8859_1).contains("/problems/busy")) {
                        busy++;
                    }
                } catch (IOException ignored) {
                    // reset
                }
            }
            assertThat(busy).isPositive();
        } finally {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
        System.out.println("slow uploads: reads " + slowest.size() + ", slowest "
                + slowest.stream().mapToLong(Long::longValue).max().orElse(0) + " ms, refused " + valve.rejected());
    }

    @Test
    void aTricklingUploadEndsWith408AndKeepsItsCompleteFrames() throws Exception {
        String id = create("slow/kept");
        byte[] two = Records.frames(0, 2, 24, 32, 1);
        byte[] third = Records.frames(2, 3, 24, 32, 1);
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(20_000);
            OutputStream o = s.getOutputStream();
            o.write(("POST /stores/" + id + "/frames HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + IngestController.FRAMES + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(two.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.write(two);
            o.write(("\r\n" + Integer.toHexString(third.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            StringBuilder response = new StringBuilder();
            InputStream in = s.getInputStream();
            s.setSoTimeout(200);
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int i = 0;
            while (System.nanoTime() < end && !response.toString().contains("frames_accepted")) {
                try {
                    o.write(third[i++ % (third.length - 1)]);
                    o.flush();
                } catch (IOException closed) {
                    // the server ended it
                }
                try {
                    byte[] buf = new byte[4096];
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    response.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // keep trickling
                }
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 408").contains("/problems/upload-too-slow")
                    .contains("\"frames_accepted\":2");
        }
        HttpResponse<String> summary = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/stores/" + id + "/close")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
        assertThat(summary.body()).contains("\"frame_count\":2");
    }
}
