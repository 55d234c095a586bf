package io.imgstore.service.ingest;

import static io.imgstore.service.ingest.IngestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.internal.DirectoryFrameSource;
import io.imgstore.format.npy.Npy;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import tools.jackson.databind.JsonNode;

@ServiceIntegrationTest
class IngestIntegrationTests {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.ingest.sync-interval", () -> "100ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    StoreRegistry registry;

    @Autowired
    IngestSessions sessions;

    private final IngestHttp http = new IngestHttp(() -> port);

    private String create(String path, String format, String shape, int chunksize) throws Exception {
        HttpResponse<String> r = http.postJson("/stores", "{\"path\": \"" + path + "\", \"format\": \"" + format
                + "\", \"imgshape\": " + shape + ", \"imgdtype\": \"uint8\", \"chunksize\": " + chunksize
                + ", \"user_metadata\": {\"rig\": \"rig1\"}, \"encoding\": null}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode s = json(r);
        assertThat(r.headers().firstValue("Location")).contains("/stores/" + s.get("id").asString());
        assertThat(s.get("live").asBoolean()).isTrue();
        return s.get("id").asString();
    }

    private void assertBarcodes(Path dir, int count, long firstNumber) {
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameCount()).isEqualTo(count);
            for (int i = 0; i < count; i++) {
                Frame f = s.getFrameByIndex(i);
                assertThat(f.info().frameNumber()).isEqualTo(firstNumber + i);
                assertThat(Barcode.decode(f.image())).as("frame %d", i).isEqualTo(Barcode.expected(firstNumber + i));
            }
        }
    }

    @Test
    void streamedFramesReopenExactlyWithExtraDataAndLatest() throws Exception {
        String id = create("rig1/exp_20240501_101500", "npy", "[48, 64]", 10);
        assertThat(id).isEqualTo("rig1~exp_20240501_101500");
        byte[] body = Records.concat(Records.frames(0, 5, 48, 64, 1),
                Records.raw(5, 1000.2, 48, 64, 1, Map.of("temperature", 21.5)), Records.frames(6, 25, 48, 64, 1));
        HttpResponse<String> r = http.pushChunked(id, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("frames_written").asLong()).isEqualTo(25);
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(25);

        // a second POST continues the same open writer
        r = http.pushChunked(id, Records.frames(25, 30, 48, 64, 1));
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(30);
        r = http.postJson("/stores/" + id + "/extra-data", "{\"note\": \"last\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        // latest, from memory (npy is exact)
        HttpResponse<byte[]> latest = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames/latest?format=npy"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(latest.headers().firstValue("X-Frame-Number")).contains("29");
        var img = DirectoryFrameSource.toImage(Npy.read(new ByteArrayInputStream(latest.body())), "latest");
        assertThat(Barcode.decode(img)).isEqualTo(29);

        r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/close")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(30);
        assertThat(json(r).get("live").asBoolean()).isFalse();

        Path dir = root.resolve("rig1/exp_20240501_101500");
        assertThat(dir.resolve(".lock")).doesNotExist();
        assertBarcodes(dir, 30, 0);
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.userMetadata()).containsEntry("rig", "rig1");
            assertThat(s.frameMetadata().frameTimes()[5]).isEqualTo(1000.2);
            List<Map<String, Object>> extra = s.extraData();
            assertThat(extra).hasSize(2);
            assertThat(extra.get(0)).containsEntry("temperature", 21.5).containsEntry("frame_number", 5);
            assertThat(extra.get(1)).containsEntry("note", "last").containsEntry("frame_number", 29);
        }

        // latest of a closed store: from disk
        latest = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames/latest")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(latest.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(Barcode.decode(ImageCodec.decode(latest.body(), false))).isEqualTo(29);

        // no more frames into a closed store
        r = http.pushChunked(id, Records.frames(30, 31, 48, 64, 1));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(json(r).get("type").asString()).isEqualTo("/problems/store-closed");

        // closing again is harmless: the summary as read from disk
        r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/close")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(30);
        assertThat(json(r).get("user_metadata").get("rig").asString()).isEqualTo("rig1");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"avc1/mp4", "mjpeg/avi", "h264/mkv"})
    void videoStoresWrittenOverHttpReopenWithEveryBarcode(String format) throws Exception {
        String path = "video/" + format.replace('/', '_');
        String id = create(path, format, "[96, 128, 3]", 10);
        HttpResponse<String> r = http.pushChunked(id, Records.frames(0, 25, 96, 128, 3));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // finished chunks are readable while the store is still open
        waitFor(() -> {
            try (StoreRegistry.Lease l = registry.lease(id)) {
                return l.store().frameCount() >= 20;
            }
        });
        try (StoreRegistry.Lease l = registry.lease(id)) {
            assertThat(Barcode.decode(l.store().getFrameByIndex(19).image())).isEqualTo(19);
        }
        HttpResponse<byte[]> latest = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames/latest?format=jpeg"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(Barcode.decode(ImageCodec.decode(latest.body(), true))).isEqualTo(24);
        sessions.close(id);
        assertBarcodes(root.resolve(path), 25, 0);
    }

    @Test
    void conflictNamesTheExistingStoreAndExistOkContinuesAMatchingOne() throws Exception {
        String spec = "\"format\": \"npy\", \"imgshape\": [48, 64], \"imgdtype\": \"uint8\"";
        String id = create("again/rig1", "npy", "[48, 64]", 10);
        HttpResponse<String> r = http.postJson("/stores", "{\"path\": \"again/rig1\", " + spec + "}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(json(r).get("type").asString()).isEqualTo("/problems/conflict");
        assertThat(json(r).get("id").asString()).isEqualTo(id);
        assertThat(json(r).get("path").asString()).isEqualTo("again/rig1");
        assertThat(json(r).get("writing").asBoolean()).isTrue();
        assertThat(json(r).get("detail").asString()).contains("exist_ok");

        // exist_ok with the same spec: the open store, as it is
        assertThat(http.pushChunked(id, Records.frames(0, 5, 48, 64, 1)).statusCode()).isEqualTo(200);
        r = http.postJson("/stores", "{\"path\": \"again/rig1\", " + spec + ", \"exist_ok\": true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("id").asString()).isEqualTo(id);
        assertThat(json(r).get("live").asBoolean()).isTrue();
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(5);

        // exist_ok with another spec: 409 saying what differs
        for (String other : List.of("\"format\": \"png\", \"imgshape\": [48, 64]",
                "\"format\": \"npy\", \"imgshape\": [48, 96]",
                "\"format\": \"npy\", \"imgshape\": [48, 64], \"imgdtype\": \"uint16\"")) {
            r = http.postJson("/stores", "{\"path\": \"again/rig1\", " + other + ", \"exist_ok\": true}");
            assertThat(r.statusCode()).as(other + " " + r.body()).isEqualTo(409);
            assertThat(json(r).get("id").asString()).isEqualTo(id);
            assertThat(json(r).get("detail").asString()).containsAnyOf("format", "imgshape", "imgdtype");
        }

        // closed: a 409 says writing=false; exist_ok reopens it for appending
        sessions.close(id);
        r = http.postJson("/stores", "{\"path\": \"again/rig1\", " + spec + "}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(json(r).get("writing").asBoolean()).isFalse();
        r = http.postJson("/stores", "{\"path\": \"again/rig1\", " + spec + ", \"exist_ok\": true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("live").asBoolean()).isTrue();
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(5);
        assertThat(http.pushChunked(id, Records.frames(5, 8, 48, 64, 1)).statusCode()).isEqualTo(200);
        sessions.close(id);
        assertBarcodes(root.resolve("again/rig1"), 8, 0);

        // exist_ok where nothing exists yet: created (201)
        r = http.postJson("/stores", "{\"path\": \"again/rig2\", " + spec + ", \"exist_ok\": true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void createValidatesPathsFormatsAndShapes() throws Exception {
        create("valid/one", "npy", "[8, 8]", 10);
        assertThat(http.postJson("/stores", "{\"path\": \"valid/one\", \"format\": \"npy\", \"imgshape\": [8, 8]}")
                .statusCode()).isEqualTo(409);
        assertThat(http.postJson("/stores", "{\"path\": \"valid/one/inner\", \"format\": \"npy\", \"imgshape\": [8, 8]}")
                .statusCode()).isEqualTo(409);
        for (String bad : List.of("../escape", "/abs/path", "a/../../b", ".hidden", "a//b", "")) {
            HttpResponse<String> r = http.postJson("/stores", "{\"path\": \"" + bad
                    + "\", \"format\": \"npy\", \"imgshape\": [8, 8]}");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(http.postJson("/stores", "{\"path\": \"x/f\", \"format\": \"gif\", \"imgshape\": [8, 8]}")
                .statusCode()).isEqualTo(400);
        assertThat(http.postJson("/stores", "{\"path\": \"x/s\", \"format\": \"npy\", \"imgshape\": [8]}")
                .statusCode()).isEqualTo(400);
        assertThat(http.postJson("/stores", "{\"path\": \"x/s\", \"format\": \"npy\", \"imgshape\": [8, 8, 4]}")
                .statusCode()).isEqualTo(400);
        assertThat(http.postJson("/stores", "{\"path\": \"x/s\", \"format\": \"npy\", \"imgshape\": [8, 8], "
                + "\"imgdtype\": \"float32\"}").statusCode()).isEqualTo(400);
        assertThat(Files.exists(root.resolve("x"))).isFalse();
    }

    @Test
    void malformedRecordMidStreamKeepsTheFramesBeforeIt() throws Exception {
        String id = create("bad/json", "npy", "[48, 64]", 10);
        byte[] body = Records.concat(Records.frames(0, 7, 48, 64, 1),
                Records.record("{\"frame_number\": oops".getBytes(StandardCharsets.UTF_8), new byte[48 * 64]),
                Records.frames(8, 12, 48, 64, 1));
        HttpResponse<String> r = http.pushChunked(id, body);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode p = json(r);
        assertThat(p.get("type").asString()).isEqualTo("/problems/malformed-record");
        assertThat(p.get("frames_accepted").asLong()).isEqualTo(7);
        assertThat(p.get("detail").asString()).contains("7 frame(s)");

        // short payload at the end of a second request
        byte[] full = Records.frames(7, 10, 48, 64, 1);
        r = http.pushChunked(id, java.util.Arrays.copyOf(full, full.length - 100));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("frames_accepted").asLong()).isEqualTo(2);
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(9);
        sessions.close(id);
        assertBarcodes(root.resolve("bad/json"), 9, 0);
    }

    @Test
    void clientDisconnectingMidStreamLeavesEveryCompleteRecord() throws Exception {
        String id = create("cut/off", "npy", "[48, 64]", 4);
        byte[] records = Records.frames(0, 6, 48, 64, 1);
        int cut = records.length - 1000; // inside the 6th record
        try (Socket s = new Socket("localhost", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /stores/" + id + "/frames HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + IngestController.FRAMES + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write((Integer.toHexString(cut) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(records, 0, cut);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            waitFor(() -> sessions.find(id).frameCount() == 5);
        } // closed without the last chunk
        // the store is given back to the next client
        waitFor(() -> !sessions.find(id).streaming());
        HttpResponse<String> r = http.pushChunked(id, Records.frames(5, 8, 48, 64, 1));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        sessions.close(id);
        assertBarcodes(root.resolve("cut/off"), 8, 0);
    }

    @Test
    void secondConcurrentWriterGets409AndLiveReadsSeeTheOpenChunk() throws Exception {
        String id = create("two/writers", "npy", "[48, 64]", 10);
        Socket sock = new Socket("localhost", port);
        OutputStream feed = sock.getOutputStream();
        byte[] records = Records.frames(0, 13, 48, 64, 1);
        feed.write(("POST /stores/" + id + "/frames HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                + IngestController.FRAMES + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + Integer.toHexString(records.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        feed.write(records);
        feed.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        feed.flush();
        waitFor(() -> sessions.find(id).frameCount() == 13);
        HttpResponse<String> second = http.pushChunked(id, Records.frames(100, 101, 48, 64, 1));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/close"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(409);

        // live: a reader of the store sees the finished chunk and, after the sync interval, the open one
        waitFor(() -> {
            try (StoreRegistry.Lease l = registry.lease(id)) {
                return l.store().frameCount() == 13;
            }
        });
        try (StoreRegistry.Lease l = registry.lease(id)) {
            assertThat(Barcode.decode(l.store().getFrameByIndex(12).image())).isEqualTo(12);
        }
        feed.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        feed.flush();
        String response = new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        sock.close();
        assertThat(response).startsWith("HTTP/1.1 200").contains("\"frames_written\":13");
        sessions.close(id);
        assertBarcodes(root.resolve("two/writers"), 13, 0);
    }

    @Test
    void singleFrameFormForCurl() throws Exception {
        String id = create("curl/png", "npy", "[48, 64, 3]", 10);
        byte[] png = ImageCodec.encode(Barcode.draw(42, 48, 64, 3, io.imgstore.format.PixelType.UINT8), ".png", 95);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames"))
                .header("Content-Type", "image/png").header("X-Frame-Number", "42").header("X-Frame-Time", "12.5")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        byte[] raw = Barcode.draw(43, 48, 64, 3, io.imgstore.format.PixelType.UINT8).data();
        r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames"))
                .header("Content-Type", "application/octet-stream").header("X-Frame-Number", "43")
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(2);
        r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[17])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        sessions.close(id);
        try (ImgStore s = ImgStore.open(root.resolve("curl/png"))) {
            assertThat(s.frameCount()).isEqualTo(2);
            assertThat(s.getFrameByIndex(0).info().frameTime()).isEqualTo(12.5);
            assertThat(s.getFrameByIndex(0).image().sameAs(Barcode.draw(42, 48, 64, 3,
                    io.imgstore.format.PixelType.UINT8))).isTrue();
            assertThat(Barcode.decode(s.getFrameByIndex(1).image())).isEqualTo(43);
        }
    }

    /** Collects a WebSocket's messages. */
    static final class Collector extends AbstractWebSocketHandler {
        final List<Object> messages = new CopyOnWriteArrayList<>();

        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) {
            messages.add(message.getPayload());
        }

        @Override
        protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
            ByteBuffer b = message.getPayload();
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            messages.add(copy);
        }

        List<String> texts() {
            return messages.stream().filter(m -> m instanceof String).map(m -> (String) m).toList();
        }

        List<byte[]> binaries() {
            return messages.stream().filter(m -> m instanceof byte[]).map(m -> (byte[]) m).toList();
        }
    }

    @Test
    void webSocketIngestWithExtraDataAndCloseWhileABrowserWatchesLive() throws Exception {
        String id = create("ws/rig", "npy", "[48, 64]", 5);
        StandardWebSocketClient client = new StandardWebSocketClient();
        Collector live = new Collector();
        WebSocketSession watcher = client.execute(live, "ws://localhost:" + port + "/stores/" + id + "/live")
                .get(5, TimeUnit.SECONDS);
        Collector answers = new Collector();
        WebSocketSession ws = client.execute(answers, "ws://localhost:" + port + "/stores/" + id + "/ingest")
                .get(5, TimeUnit.SECONDS);
        // a second ingest connection is refused while the first holds the store
        Collector refused = new Collector();
        client.execute(refused, "ws://localhost:" + port + "/stores/" + id + "/ingest").get(5, TimeUnit.SECONDS);
        waitFor(() -> refused.texts().stream().anyMatch(t -> t.contains("\"status\":409")));

        for (int n = 0; n < 12; n++) {
            ws.sendMessage(new BinaryMessage(Records.raw(n, 2000 + n, 48, 64, 1, null)));
            if (n == 3) {
                ws.sendMessage(new TextMessage("{\"extra\": {\"stim\": \"on\"}}"));
            }
            Thread.sleep(20);
        }
        // a malformed message is reported and dropped, the connection stays usable
        ws.sendMessage(new BinaryMessage(new byte[] {0, 0, 0, 3, '{', '}', '!'}));
        ws.sendMessage(new BinaryMessage(Records.raw(12, 2012, 48, 64, 1, null)));
        ws.sendMessage(new TextMessage("{\"close\": true}"));
        waitFor(() -> answers.texts().stream().anyMatch(t -> t.contains("\"closed\":true")));
        List<String> texts = answers.texts();
        assertThat(texts).anyMatch(t -> t.contains("\"frames_written\":12"));
        assertThat(texts).anyMatch(t -> t.contains("malformed-record") && t.contains("\"frames_accepted\":12"));
        assertThat(texts.get(texts.size() - 1)).contains("\"frame_count\":13");

        // the browser got JPEG frames (number + time in the header) and the end
        waitFor(() -> live.texts().stream().anyMatch(t -> t.contains("\"closed\":true")));
        assertThat(live.binaries()).isNotEmpty();
        for (byte[] m : live.binaries()) {
            ByteBuffer b = ByteBuffer.wrap(m);
            int hl = b.getInt();
            JsonNode h = Records.JSON.readTree(new String(m, 4, hl, StandardCharsets.UTF_8));
            byte[] jpeg = java.util.Arrays.copyOfRange(m, 4 + hl, m.length);
            assertThat(h.get("payload").asString()).isEqualTo("jpeg");
            assertThat(h.get("payload_length").asInt()).isEqualTo(jpeg.length);
            assertThat(Barcode.decode(ImageCodec.decode(jpeg, false))).isEqualTo(h.get("frame_number").asInt());
        }
        watcher.close();

        assertBarcodes(root.resolve("ws/rig"), 13, 0);
        try (ImgStore s = ImgStore.open(root.resolve("ws/rig"))) {
            assertThat(s.extraData()).singleElement().satisfies(e -> assertThat(e).containsEntry("stim", "on")
                    .containsEntry("frame_number", 3));
        }
    }

    @Test
    void webSocketFramesLargerThanTheContainerBufferArriveInParts() throws Exception {
        String id = create("ws/large", "npy", "[480, 640, 3]", 4); // 921,600-byte frames, Tomcat reads 8 KiB parts
        Collector answers = new Collector();
        WebSocketSession ws = new StandardWebSocketClient().execute(answers,
                "ws://localhost:" + port + "/stores/" + id + "/ingest").get(5, TimeUnit.SECONDS);
        for (int n = 0; n < 6; n++) {
            ws.sendMessage(new BinaryMessage(Records.raw(n, 3000 + n, 480, 640, 3, null)));
        }
        ws.sendMessage(new TextMessage("{\"close\": true}"));
        waitFor(() -> answers.texts().stream().anyMatch(t -> t.contains("\"closed\":true")));
        assertThat(answers.texts()).noneMatch(t -> t.contains("problems"));
        try (ImgStore s = ImgStore.open(root.resolve("ws/large"))) {
            assertThat(s.frameCount()).isEqualTo(6);
            for (int i = 0; i < 6; i++) {
                assertThat(s.getFrameByIndex(i).image().sameAs(Barcode.draw(i, 480, 640, 3,
                        io.imgstore.format.PixelType.UINT8))).isTrue();
            }
        }
    }

    @Test
    void closingTheWebSocketThenPostingCloseKeepsEveryFrame() throws Exception {
        String id = create("ws/then_post", "png", "[48, 64]", 5);
        WebSocketSession ws = new StandardWebSocketClient().execute(new Collector(),
                "ws://localhost:" + port + "/stores/" + id + "/ingest").get(5, TimeUnit.SECONDS);
        for (long n : new long[] {1000, 1001, 1002, 65537}) {
            ws.sendMessage(new BinaryMessage(Records.raw(n, n, 48, 64, 1, null)));
        }
        ws.close();
        // at once: the server may still be draining the socket's last frames; close waits for them
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/close"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("frame_count").asLong()).isEqualTo(4);
        try (ImgStore s = ImgStore.open(root.resolve("ws/then_post"))) {
            assertThat(s.frameMetadata().frameNumbers()).containsExactly(1000, 1001, 1002, 65537);
            assertThat(Barcode.decode(s.getFrameByIndex(3).image())).isEqualTo(Barcode.expected(65537));
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 15 s");
            }
            Thread.sleep(20);
        }
    }
}
