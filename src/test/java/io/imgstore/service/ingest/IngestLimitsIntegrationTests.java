package io.imgstore.service.ingest;

import static io.imgstore.service.ingest.IngestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/** The ingest limits over HTTP and WebSocket: sizes, frame numbers and times, payload lengths, extra data. */
@ServiceIntegrationTest
class IngestLimitsIntegrationTests {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.ingest.max-extra-data-bytes", () -> "1000");
        r.add("imgstore.ingest.max-extra-data-bytes-per-chunk", () -> "1800");
    }

    @LocalServerPort
    int port;

    @Autowired
    IngestSessions sessions;

    private final IngestHttp http = new IngestHttp(() -> port);

    private static void assertProblem(HttpResponse<String> r, int status, String type, String detail) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(c -> assertThat(c).contains("problem+json"));
        assertThat(json(r).get("type").asString()).isEqualTo("/problems/" + type);
        assertThat(json(r).get("detail").asString()).contains(detail);
    }

    private void assertBarcodes(Path dir, List<Long> numbers) {
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameCount()).isEqualTo(numbers.size());
            for (int i = 0; i < numbers.size(); i++) {
                Frame f = s.getFrameByIndex(i);
                assertThat(f.info().frameNumber()).isEqualTo(numbers.get(i));
                assertThat(Barcode.decode(f.image())).as("frame %d", i).isEqualTo(Barcode.expected(numbers.get(i)));
            }
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aStoreWithFramesLargerThanMaxFrameBytesIsRefusedAtCreation() throws Exception {
        HttpResponse<String> r = http.postJson("/stores", "{\"path\": \"huge/one\", \"format\": \"npy\", "
                + "\"imgshape\": [16384, 16384, 3], \"imgdtype\": \"uint16\"}");
        assertProblem(r, 400, "bad-request", "imgstore.ingest.max-frame-bytes");
        assertThat(json(r).get("detail").asString()).contains("1610612736");
        assertThat(Files.exists(root.resolve("huge/one/metadata.yaml"))).isFalse();
        assertThat(sessions.budget().heldBytes()).isZero();
        // just within the limit is fine
        r = http.postJson("/stores", "{\"path\": \"huge/ok\", \"format\": \"npy\", \"imgshape\": [8192, 8192, 3], "
                + "\"imgdtype\": \"uint8\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        sessions.close(json(r).get("id").asString());
    }

    @Test
    void aRecordWithAHugePayloadLengthIsMalformed() throws Exception {
        String id = http.create("limits/huge_payload", "npy", 48, 64, 100);
        byte[] body = Records.concat(Records.frames(0, 2, 48, 64, 1),
                Records.record(Records.header(2, 1.0, null, "png", 1L << 40), new byte[16]));
        HttpResponse<String> r = http.pushChunked(id, body);
        assertProblem(r, 400, "malformed-record", "payload_length 1099511627776");
        assertThat(json(r).get("frames_accepted").asLong()).isEqualTo(2);
        assertThat(sessions.budget().heldBytes()).isZero();
        sessions.close(id);
        assertBarcodes(root.resolve("limits/huge_payload"), List.of(0L, 1L));
    }

    @Test
    void badFrameNumbersAndTimesAreMalformedAndEarlierFramesKept() throws Exception {
        String id = http.create("limits/numbers", "npy", 48, 64, 100);
        long next = 0;
        List<String> bad = List.of("\"frame_number\": 1e30", "\"frame_number\": 18446744073709551616",
                "\"frame_number\": 1.5", "\"frame_number\": 7, \"frame_time\": 1e400",
                "\"frame_number\": 7, \"frame_time\": NaN", "\"frame_number\": 7, \"frame_time\": Infinity");
        for (String fields : bad) {
            byte[] body = Records.concat(Records.frames(next, next + 2, 48, 64, 1),
                    Records.record(("{" + fields + ", \"payload_length\": 3072}").getBytes(StandardCharsets.UTF_8),
                            new byte[3072]),
                    Records.frames(next + 2, next + 3, 48, 64, 1));
            HttpResponse<String> r = http.pushChunked(id, body);
            assertProblem(r, 400, "malformed-record", "record 2");
            assertThat(json(r).get("frames_accepted").asLong()).as(fields).isEqualTo(2);
            assertThat(json(r).get("frame_count").asLong()).isEqualTo(next + 2);
            next += 2;
        }
        sessions.close(id);
        List<Long> expected = java.util.stream.LongStream.range(0, next).boxed().toList();
        assertBarcodes(root.resolve("limits/numbers"), expected);
        try (ImgStore s = ImgStore.open(root.resolve("limits/numbers"))) {
            for (int i = 0; i < next; i++) {
                assertThat(Double.isFinite(s.getFrameByIndex(i).info().frameTime())).isTrue();
            }
        }
    }

    @Test
    void rawRecordsWithoutOrWithAWrongPayloadLengthAreNeverStored() throws Exception {
        String id = http.create("limits/lengths", "npy", 48, 64, 100);
        // no payload_length
        byte[] body = Records.concat(Records.frames(0, 1, 48, 64, 1),
                Records.record(Records.header(1, 1.0, null, null, -1), new byte[3072]));
        HttpResponse<String> r = http.pushChunked(id, body);
        assertProblem(r, 400, "malformed-record", "payload_length");
        assertThat(json(r).get("frames_accepted").asLong()).isEqualTo(1);
        // a smaller frame with its honest length, followed by good records: refused, nothing garbled stored
        body = Records.concat(Records.record(Records.header(1, 1.0, null, null, 40 * 64), new byte[40 * 64]),
                Records.frames(2, 6, 48, 64, 1));
        r = http.pushChunked(id, body);
        assertProblem(r, 400, "malformed-record", "payload_length 2560");
        assertThat(json(r).get("frames_accepted").asLong()).isZero();
        // a shape that is not the store's
        body = Records.record(("{\"frame_number\": 1, \"payload_length\": 3072, \"shape\": [64, 48]}")
                .getBytes(StandardCharsets.UTF_8), new byte[3072]);
        assertProblem(http.pushChunked(id, body), 400, "malformed-record", "shape");
        assertThat(http.pushChunked(id, Records.frames(1, 3, 48, 64, 1)).statusCode()).isEqualTo(200);
        sessions.close(id);
        assertBarcodes(root.resolve("limits/lengths"), List.of(0L, 1L, 2L));
    }

    private HttpResponse<String> pushOne(String id, String type, byte[] body, String number, String time) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (number != null) {
            b.header("X-Frame-Number", number);
        }
        if (time != null) {
            b.header("X-Frame-Time", time);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSingleFrameFormValidatesNumbersTimesAndSizes() throws Exception {
        String id = http.create("limits/single", "npy", 48, 64, 100);
        byte[] frame = Barcode.draw(4, 48, 64, 1, io.imgstore.format.PixelType.UINT8).data();
        for (String n : List.of("1e30", "18446744073709551616", "1.5", "x")) {
            assertProblem(pushOne(id, "application/octet-stream", frame, n, "1.0"), 400, "malformed-record", "X-Frame-Number");
        }
        for (String t : List.of("NaN", "Infinity", "1e400")) {
            assertProblem(pushOne(id, "application/octet-stream", frame, "4", t), 400, "malformed-record", "X-Frame-Time");
        }
        assertProblem(pushOne(id, "application/octet-stream", new byte[100], "4", "1.0"), 400, "malformed-record", "100");
        assertProblem(pushOne(id, "application/octet-stream", new byte[4000], "4", "1.0"), 400, "malformed-record", "4000");
        assertThat(sessions.budget().heldBytes()).isZero();
        HttpResponse<String> ok = pushOne(id, "application/octet-stream", frame, "4", "1700000000.5");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        sessions.close(id);
        assertBarcodes(root.resolve("limits/single"), List.of(4L));
    }

    @Test
    void aStaleUploadIsRefusedByItsExpectedFrameCount() throws Exception {
        String id = http.create("limits/expected", "npy", 48, 64, 100);
        assertThat(http.pushChunked(id, Records.frames(0, 3, 48, 64, 1)).statusCode()).isEqualTo(200);
        // a request the client sent before it resynced and resent: it expected 2 frames, the store holds 3
        HttpResponse<String> stale = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames"))
                        .header("Content-Type", IngestController.FRAMES)
                        .header(IngestController.EXPECTED_FRAME_COUNT, "2")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Records.frames(2, 5, 48, 64, 1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(stale, 409, "frame-count-mismatch", "holds 3");
        assertThat(json(stale).get("frame_count").asLong()).isEqualTo(3);
        assertThat(json(stale).get("frames_accepted").asLong()).isZero();
        HttpResponse<String> resumed = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames"))
                        .header("Content-Type", IngestController.FRAMES)
                        .header(IngestController.EXPECTED_FRAME_COUNT, "3")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Records.frames(3, 5, 48, 64, 1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(json(resumed).get("frame_count").asLong()).isEqualTo(5);
        sessions.close(id);
        assertBarcodes(root.resolve("limits/expected"), List.of(0L, 1L, 2L, 3L, 4L));
    }

    @Test
    void extraDataIsBoundedPerRequestAndPerChunk() throws Exception {
        String id = http.create("limits/extra", "npy", 48, 64, 100);
        assertThat(http.pushChunked(id, Records.frames(0, 1, 48, 64, 1)).statusCode()).isEqualTo(200);
        String big = "{\"note\": \"" + "x".repeat(1200) + "\"}";
        assertProblem(http.postJson("/stores/" + id + "/extra-data", big), 413, "payload-too-large", "max-extra-data-bytes");
        // without a Content-Length (chunked): read up to the limit only
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/extra-data"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        ("{\"note\": \"" + "y".repeat(5_000_000) + "\"}").getBytes(StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(r, 413, "payload-too-large", "max-extra-data-bytes");
        assertProblem(http.postJson("/stores/" + id + "/extra-data", "[1, 2]"), 400, "bad-request", "JSON object");
        // per chunk: 1800 bytes of .extra.json (each of these records is about 670 bytes)
        String medium = "{\"note\": \"" + "z".repeat(600) + "\"}";
        assertThat(http.postJson("/stores/" + id + "/extra-data", medium).statusCode()).isEqualTo(200);
        assertThat(http.postJson("/stores/" + id + "/extra-data", medium).statusCode()).isEqualTo(200);
        assertProblem(http.postJson("/stores/" + id + "/extra-data", medium), 413, "payload-too-large", "per chunk");
        // in a record header
        byte[] rec = Records.record(Records.header(1, 1.0, Map.of("note", "w".repeat(1200)), null, 3072), new byte[3072]);
        assertProblem(http.pushChunked(id, rec), 400, "malformed-record", "max-extra-data-bytes");
        sessions.close(id);
        try (ImgStore s = ImgStore.open(root.resolve("limits/extra"))) {
            assertThat(s.extraData()).hasSize(2);
            assertThat(s.frameCount()).isEqualTo(1);
        }
    }

    @Test
    void theWebSocketRefusesBadRecordsAndLargeExtraDataAndKeepsGoing() throws Exception {
        String id = http.create("limits/ws", "npy", 48, 64, 100);
        IngestIntegrationTests.Collector answers = new IngestIntegrationTests.Collector();
        WebSocketSession ws = new StandardWebSocketClient().execute(answers,
                "ws://localhost:" + port + "/stores/" + id + "/ingest").get(5, TimeUnit.SECONDS);
        ws.sendMessage(new BinaryMessage(Records.raw(0, 1.0, 48, 64, 1, null)));
        ws.sendMessage(new BinaryMessage(Records.record("{\"frame_number\": 1, \"frame_time\": 1e400, \"payload_length\": 3072}"
                .getBytes(StandardCharsets.UTF_8), new byte[3072])));
        ws.sendMessage(new BinaryMessage(Records.record(Records.header(1, 1.0, null, null, -1), new byte[3072])));
        ws.sendMessage(new TextMessage("{\"extra\": {\"note\": \"" + "x".repeat(1200) + "\"}}"));
        ws.sendMessage(new BinaryMessage(Records.raw(1, 2.0, 48, 64, 1, null)));
        ws.sendMessage(new TextMessage("{\"close\": true}"));
        waitFor(() -> answers.texts().stream().anyMatch(t -> t.contains("\"closed\":true")));
        List<String> texts = answers.texts();
        assertThat(texts).filteredOn(t -> t.contains("malformed-record")).hasSize(2);
        assertThat(texts).anyMatch(t -> t.contains("frame_time"));
        assertThat(texts).anyMatch(t -> t.contains("payload-too-large") && t.contains("413"));
        assertBarcodes(root.resolve("limits/ws"), List.of(0L, 1L));
    }
}
