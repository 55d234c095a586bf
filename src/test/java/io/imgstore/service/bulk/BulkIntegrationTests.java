package io.imgstore.service.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Frame;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.npy.Npy;
import io.imgstore.format.npy.NpyArray;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk reads over HTTP against stores with known gaps: every frame answered is checked by its
 * barcode (frame-exact), the record format is piped into another store's ingest, npz is read
 * with numpy.
 */
@ServiceIntegrationTest
class BulkIntegrationTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.bulk.max-frames", () -> "60");
        r.add("imgstore.bulk.max-body-bytes", () -> "1024");
    }

    /** avc1/mp4, colour, frames 100..149 without 105, 106 and 120; chunks of 16. */
    static final String VIDEO = "vid";
    /** npy, gray, frames 0..39 without 7. */
    static final String NPY = "raw";
    /** npy, gray, frames 0..9 whose frame files are garbage: decoding any frame fails. */
    static final String BROKEN = "broken";

    static boolean videoGap(long n) {
        return n == 105 || n == 106 || n == 120;
    }

    @BeforeAll
    static void stores() {
        BulkStores.write(root.resolve(VIDEO), StoreFormat.AVC1_MP4, 64, 128, 3, 16, 100, 149, BulkIntegrationTests::videoGap);
        BulkStores.write(root.resolve(NPY), StoreFormat.NPY, 48, 96, 1, 10, 0, 39, n -> n == 7);
        BulkStores.write(root.resolve(BROKEN), StoreFormat.NPY, 48, 96, 1, 10, 0, 9, n -> false);
        try (ImgStore broken = ImgStore.open(root.resolve(BROKEN))) {
            for (int p = 0; p < 10; p++) { // every frame file garbage: any decode fails, the index still reads
                Files.writeString(broken.layout().frameFile(0, p), "not an npy file");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<byte[]> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    record Rec(JsonNode header, byte[] payload) {
        Image image() {
            JsonNode s = header.get("shape");
            return new Image(s.get(0).asInt(), s.get(1).asInt(), s.size() == 3 ? 3 : 1, PixelType.UINT8, payload);
        }
    }

    static List<Rec> records(byte[] body) throws Exception {
        List<Rec> out = new ArrayList<>();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        while (true) {
            int n;
            try {
                n = in.readInt();
            } catch (EOFException e) {
                return out;
            }
            byte[] h = in.readNBytes(n);
            JsonNode header = JSON.readTree(new String(h, StandardCharsets.UTF_8));
            byte[] payload = in.readNBytes(header.get("payload_length").asInt());
            out.add(new Rec(header, payload));
        }
    }

    @Test
    void recordsOfANumberRangeWithStepAreThePresentFramesExactly() throws Exception {
        HttpResponse<byte[]> r = get("/stores/" + VIDEO + "/frames?from=101&to=131&step=2", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-imgstore-frames");
        List<Long> expected = new ArrayList<>();
        for (long n = 101; n <= 131; n += 2) {
            if (!videoGap(n)) {
                expected.add(n);
            }
        }
        assertThat(r.headers().firstValue("X-Frame-Count")).hasValue(Integer.toString(expected.size()));
        List<Rec> recs = records(r.body());
        assertThat(recs).extracting(x -> x.header().get("frame_number").asLong()).containsExactlyElementsOf(expected);
        try (ImgStore s = ImgStore.open(root.resolve(VIDEO))) {
            for (Rec rec : recs) {
                long n = rec.header().get("frame_number").asLong();
                assertThat(Barcode.decode(rec.image())).as("barcode of %d", n).isEqualTo(Barcode.expected(n));
                assertThat(rec.header().get("frame_time").asDouble()).isEqualTo(BulkStores.time(n));
                int index = s.indexOfFrameNumber(n).getAsInt();
                assertThat(rec.header().get("frame_index").asInt()).isEqualTo(index);
                assertThat(rec.header().get("dtype").asString()).isEqualTo("uint8");
                assertThat(rec.header().get("shape").toString()).isEqualTo("[64,128,3]");
                // the same pixels a random read gives
                assertThat(rec.payload()).isEqualTo(s.getFrameByIndex(index).image().data());
            }
        }
    }

    @Test
    void npyOfAnIndexRangeIsOneStackWithNumbersInHeaders() throws Exception {
        HttpResponse<byte[]> r = get("/stores/" + VIDEO + "/frames?index_from=10&index_to=40&step=3", "application/x-npy");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-npy");
        NpyArray a = Npy.read(new ByteArrayInputStream(r.body()));
        assertThat(a.shape()).containsExactly(11, 64, 128, 3);
        assertThat(r.headers().firstValueAsLong("Content-Length").getAsLong()).isEqualTo(r.body().length);
        long[] numbers = Arrays.stream(r.headers().firstValue("X-Frame-Numbers").orElseThrow().split(","))
                .mapToLong(Long::parseLong).toArray();
        assertThat(numbers).hasSize(11);
        try (ImgStore s = ImgStore.open(root.resolve(VIDEO))) {
            int frameBytes = 64 * 128 * 3;
            for (int k = 0; k < 11; k++) {
                Frame f = s.getFrameByIndex(10 + 3L * k);
                assertThat(numbers[k]).isEqualTo(f.frameNumber());
                byte[] px = Arrays.copyOfRange(a.data(), k * frameBytes, (k + 1) * frameBytes);
                assertThat(Barcode.decode(new Image(64, 128, 3, PixelType.UINT8, px))).isEqualTo(Barcode.expected(numbers[k]));
                assertThat(px).isEqualTo(f.image().data());
            }
        }
    }

    @Test
    void npzIsReadByNumpy() throws Exception {
        HttpResponse<byte[]> r = get("/stores/" + NPY + "/frames?from=2&to=12&format=npz", null);
        assertThat(r.statusCode()).isEqualTo(200);
        Path f = root.resolve("out.npz");
        Files.write(f, r.body());
        String script = "import numpy as np, sys\n"
                + "z = np.load(sys.argv[1])\n"
                + "print(sorted(z.files))\n"
                + "print(z['frames'].shape, z['frames'].dtype)\n"
                + "print(','.join(str(int(x)) for x in z['frame_number']))\n"
                + "print(repr(float(z['frame_time'][0])))\n"
                + "print(','.join(str(int(z['frames'][i][0:8, :].mean() > 0)) for i in range(len(z['frames']))))\n";
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] lines = out.split("\n");
        assertThat(lines[0]).isEqualTo("['frame_number', 'frame_time', 'frames']");
        assertThat(lines[1]).isEqualTo("(10, 48, 96) uint8");
        assertThat(lines[2]).isEqualTo("2,3,4,5,6,8,9,10,11,12");
        assertThat(Double.parseDouble(lines[3])).isEqualTo(BulkStores.time(2));
        // the frames themselves: compare with the npy answer of the same selection, barcode by barcode
        NpyArray a = Npy.read(new ByteArrayInputStream(get("/stores/" + NPY + "/frames?from=2&to=12&format=npy", null).body()));
        for (int k = 0; k < 10; k++) {
            byte[] px = Arrays.copyOfRange(a.data(), k * 48 * 96, (k + 1) * 48 * 96);
            long n = Long.parseLong(lines[2].split(",")[k]);
            assertThat(Barcode.decode(new Image(48, 96, 1, PixelType.UINT8, px))).isEqualTo(Barcode.expected(n));
        }
        Process md5 = new ProcessBuilder("/usr/bin/python3", "-c",
                "import numpy as np, sys, hashlib\nprint(hashlib.md5(np.load(sys.argv[1])['frames'].tobytes()).hexdigest())",
                f.toString()).redirectErrorStream(true).start();
        String digest = new String(md5.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        md5.waitFor(60, TimeUnit.SECONDS);
        assertThat(digest).isEqualTo(md5Hex(a.data()));
    }

    private static String md5Hex(byte[] data) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(data);
        StringBuilder s = new StringBuilder();
        for (byte b : d) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }

    @Test
    void explicitNumbersKeepTheirOrderAndAnAbsentNumberIs404BeforeStreaming() throws Exception {
        HttpResponse<byte[]> r = get("/stores/" + VIDEO + "/frames?numbers=140,100,121,140", null);
        assertThat(r.statusCode()).isEqualTo(200);
        List<Rec> recs = records(r.body());
        assertThat(recs).extracting(x -> x.header().get("frame_number").asLong()).containsExactly(140L, 100L, 121L, 140L);
        for (Rec rec : recs) {
            assertThat(Barcode.decode(rec.image())).isEqualTo(Barcode.expected(rec.header().get("frame_number").asLong()));
        }
        r = get("/stores/" + VIDEO + "/frames?numbers=100,105,110", null);
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("type").asString()).isEqualTo("/problems/frame-not-found");
        assertThat(problem.get("detail").asString()).contains("105");
    }

    @Test
    void limitsAndBadArguments() throws Exception {
        HttpResponse<byte[]> r = get("/stores/" + VIDEO + "/frames", null); // 47 frames, under 60
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(records(r.body())).hasSize(47);
        r = get("/stores/" + VIDEO + "/frames?index_from=0&index_to=1000", null); // cut to the store: 47
        assertThat(r.statusCode()).isEqualTo(200);
        r = get("/stores/" + VIDEO + "/frames?numbers=" + "100,".repeat(61) + "100", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("imgstore.bulk.max-frames");
        for (String q : List.of("step=0", "from=5&to=1", "from=1&index_to=3", "numbers=1,x", "format=gif")) {
            assertThat(get("/stores/" + VIDEO + "/frames?" + q, null).statusCode()).as(q).isEqualTo(400);
        }
        assertThat(get("/stores/" + VIDEO + "/frames", "image/png").statusCode()).isEqualTo(406);
        assertThat(get("/stores/nope/frames", null).statusCode()).isEqualTo(404);
    }

    @Test
    void recordsPipeIntoAnotherStoresIngest() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/stores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"copy\", \"format\": \"npy\", "
                        + "\"imgshape\": [64, 128, 3], \"imgdtype\": \"uint8\", \"chunksize\": 7}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString();

        HttpResponse<InputStream> source = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/stores/" + VIDEO + "/frames?from=100&to=140")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(source.statusCode()).isEqualTo(200);
        try (InputStream body = source.body()) {
            HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/stores/" + id + "/frames"))
                    .header("Content-Type", "application/x-imgstore-frames")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pushed.statusCode()).as(pushed.body()).isBetween(200, 299);
        }
        HttpResponse<String> closed = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/stores/" + id + "/close"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);

        try (ImgStore copy = ImgStore.open(root.resolve("copy")); ImgStore original = ImgStore.open(root.resolve(VIDEO))) {
            assertThat(copy.frameCount()).isEqualTo(38); // 100..140 without 105, 106, 120
            for (int i = 0; i < copy.frameCount(); i++) {
                Frame c = copy.getFrameByIndex(i);
                Frame o = original.getFrame(c.frameNumber());
                assertThat(c.frameTime()).isEqualTo(o.frameTime());
                assertThat(Barcode.decode(c.image())).isEqualTo(Barcode.expected(c.frameNumber()));
                assertThat(c.image().data()).as("frame %d copied as decoded", c.frameNumber()).isEqualTo(o.image().data());
            }
        }
    }

    @Test
    void clipIsFragmentedMp4WithTheRangesFramesInOrder() throws Exception {
        HttpResponse<byte[]> r = get("/stores/" + NPY + "/clip.mp4?from=3&to=30", null);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp4");
        byte[] mp4 = r.body();
        // fragmented: an ftyp, an empty moov, then moof/mdat pairs
        assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(new String(mp4, StandardCharsets.ISO_8859_1)).contains("moof").contains("mvex");
        Path f = root.resolve("clip.mp4");
        Files.write(f, mp4);
        try (var reader = io.imgstore.format.codec.VideoChunkReader.open(f, false)) {
            assertThat(reader.frameCount()).isEqualTo(27); // 3..30 without 7
            assertThat(Barcode.decode(reader.read(0))).isEqualTo(Barcode.expected(3));
            assertThat(Barcode.decode(reader.read(3))).isEqualTo(Barcode.expected(6));
            assertThat(Barcode.decode(reader.read(4))).isEqualTo(Barcode.expected(8));
            assertThat(Barcode.decode(reader.read(26))).isEqualTo(Barcode.expected(30));
        }
        assertThat(get("/stores/" + NPY + "/clip.mp4?from=0&to=39&width=48", null).statusCode()).isEqualTo(200);
        assertThat(get("/stores/" + NPY + "/clip.mp4?fps=0", null).statusCode()).isEqualTo(400);
    }

    /** Frame numbers of the store's frames in [from, to], in index order (what a clip of that range holds). */
    private static List<Long> numbersIn(String store, long from, long to) {
        List<Long> out = new ArrayList<>();
        try (ImgStore s = ImgStore.open(root.resolve(store))) {
            for (long n : s.frameMetadata().frameNumbers()) {
                if (n >= from && n <= to) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Fetches a clip, checks its mode, decodes every frame's barcode against the range's frame numbers. */
    private void clipDecodesFrameExactly(String query, String mode, List<Long> expected) throws Exception {
        HttpResponse<byte[]> r = get("/stores/" + VIDEO + "/clip.mp4?" + query, null);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Clip-Mode")).as(query).hasValue(mode);
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).contains("moof").contains("mvex");
        Path f = Files.createTempFile(root, "clip", ".mp4");
        Files.write(f, r.body());
        try (var reader = io.imgstore.format.codec.VideoChunkReader.open(f, true)) {
            assertThat(reader.frameCount()).as(query).isEqualTo(expected.size());
            for (int k = 0; k < expected.size(); k++) {
                assertThat(Barcode.decode(reader.read(k))).as("%s: clip frame %d", query, k)
                        .isEqualTo(Barcode.expected(expected.get(k)));
            }
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void keyframeAlignedClipsOfAnAvc1StoreAreCopiedOthersReEncoded() throws Exception {
        // chunks of 16 frames, a keyframe every 10 frames of a chunk (the writer's default):
        // chunk 0 = 100..104, 107..117 (keyframes 100, 112); chunk 1 = 118, 119, 121..134 (118, 129);
        // chunk 2 = 135..149 (135, 145)
        clipDecodesFrameExactly("from=100&to=112", "copy", numbersIn(VIDEO, 100, 112)); // one chunk
        clipDecodesFrameExactly("from=112&to=149", "copy", numbersIn(VIDEO, 112, 149)); // three chunks
        clipDecodesFrameExactly("from=129&to=140", "copy", numbersIn(VIDEO, 129, 140)); // mid-chunk keyframe
        clipDecodesFrameExactly("from=101&to=112", "encode", numbersIn(VIDEO, 101, 112)); // not on a keyframe
        clipDecodesFrameExactly("from=113&to=140", "encode", numbersIn(VIDEO, 113, 140)); // not on a keyframe
        clipDecodesFrameExactly("from=100&to=112&fps=10", "encode", numbersIn(VIDEO, 100, 112)); // fps asked
        assertThat(get("/stores/" + NPY + "/clip.mp4?from=0&to=9", null).headers().firstValue("X-Clip-Mode"))
                .hasValue("encode"); // not a video store
    }

    private HttpResponse<byte[]> head(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void headAnswersHeadersWithoutDecoding() throws Exception {
        // every frame of BROKEN fails to decode: GET fails, HEAD (index only) answers
        assertThat(get("/stores/" + BROKEN + "/frames?format=npy", null).statusCode()).isGreaterThanOrEqualTo(500);
        for (String q : List.of("frames", "frames?format=npy", "frames?format=npz&from=2&to=5", "clip.mp4?from=0&to=9")) {
            HttpResponse<byte[]> r = head("/stores/" + BROKEN + "/" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        }
        HttpResponse<byte[]> r = head("/stores/" + BROKEN + "/frames?format=npy&from=2&to=5");
        assertThat(r.headers().firstValue("X-Frame-Count")).hasValue("4");
        assertThat(r.headers().firstValue("X-Frame-Numbers")).hasValue("2,3,4,5");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(NpyWriter.length(4, new int[] {48, 96},
                PixelType.UINT8));
        assertThat(head("/stores/" + BROKEN + "/clip.mp4?from=0&to=9").headers().firstValue("X-Clip-Mode"))
                .hasValue("encode");
        assertThat(head("/stores/" + VIDEO + "/clip.mp4?from=100&to=112").headers().firstValue("X-Clip-Mode"))
                .hasValue("copy");
        // limits and absent frames are checked as for GET
        assertThat(head("/stores/" + VIDEO + "/frames?numbers=100,105").statusCode()).isEqualTo(404);
        assertThat(head("/stores/" + VIDEO + "/frames?step=0").statusCode()).isEqualTo(400);
    }

    private HttpResponse<byte[]> post(String path, String contentType, String accept, HttpRequest.BodyPublisher body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", contentType).POST(body);
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> postJson(String path, String json) throws Exception {
        return post(path, "application/json", null, HttpRequest.BodyPublishers.ofString(json));
    }

    @Test
    void postedListsAreAnsweredAsTheGetWouldBe() throws Exception {
        String list = "140,100,121,140,149";
        HttpResponse<byte[]> get = get("/stores/" + VIDEO + "/frames?numbers=" + list, null);
        HttpResponse<byte[]> json = postJson("/stores/" + VIDEO + "/frames", "{\"numbers\": [" + list + "]}");
        HttpResponse<byte[]> form = post("/stores/" + VIDEO + "/frames", "application/x-www-form-urlencoded", null,
                HttpRequest.BodyPublishers.ofString("numbers=140,100,121&numbers=140&numbers=149"));
        for (HttpResponse<byte[]> r : List.of(json, form)) {
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-imgstore-frames");
            assertThat(r.body()).isEqualTo(get.body());
        }
        List<Rec> recs = records(json.body());
        assertThat(recs).extracting(x -> x.header().get("frame_number").asLong())
                .containsExactly(140L, 100L, 121L, 140L, 149L);
        for (Rec rec : recs) {
            assertThat(Barcode.decode(rec.image())).isEqualTo(Barcode.expected(rec.header().get("frame_number").asLong()));
        }
        // negotiation as GET: ?format= and Accept
        HttpResponse<byte[]> npy = post("/stores/" + VIDEO + "/frames", "application/json", "application/x-npy",
                HttpRequest.BodyPublishers.ofString("{\"numbers\": [100, 101]}"));
        assertThat(npy.headers().firstValue("X-Frame-Numbers")).hasValue("100,101");
        NpyArray a = Npy.read(new ByteArrayInputStream(npy.body()));
        assertThat(a.shape()).containsExactly(2, 64, 128, 3);
        HttpResponse<byte[]> npz = postJson("/stores/" + VIDEO + "/frames?format=npz", "{\"numbers\": [100]}");
        assertThat(npz.headers().firstValue("Content-Type")).hasValue("application/zip");
    }

    @Test
    void postedListsAreBoundedAndCheckedBeforeStreaming() throws Exception {
        String path = "/stores/" + VIDEO + "/frames";
        // more numbers than imgstore.bulk.max-frames (60)
        HttpResponse<byte[]> r = postJson(path, "{\"numbers\": [" + "100,".repeat(60) + "100]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("imgstore.bulk.max-frames");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // a body over imgstore.bulk.max-body-bytes (1024): by Content-Length, and chunked (no length)
        String big = "{\"numbers\": [100" + " ".repeat(2000) + "]}";
        r = postJson(path, big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("imgstore.bulk.max-body-bytes");
        byte[] bigBytes = big.getBytes(StandardCharsets.UTF_8);
        r = post(path, "application/json", null, HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(bigBytes)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // absent frame: 404 naming it, nothing streamed
        r = postJson(path, "{\"numbers\": [100, 105]}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("105");
        for (String bad : List.of("", "[]", "{}", "{\"numbers\": []}", "{\"numbers\": [1.5]}",
                "{\"numbers\": [\"1\"]}", "{\"numbers\": [99999999999999999999]}", "{\"nums\": [1]}",
                "{\"numbers\": [1], \"numbers\": [2]}", "{\"numbers\": [1")) {
            r = postJson(path, bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(bad).hasValue("application/problem+json");
        }
        assertThat(post(path, "application/x-www-form-urlencoded", null,
                HttpRequest.BodyPublishers.ofString("numbers=1,x")).statusCode()).isEqualTo(400);
        assertThat(postJson("/stores/nope/frames", "{\"numbers\": [1]}").statusCode()).isEqualTo(404);
    }
}
