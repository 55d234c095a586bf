package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.format.npy.Npy;
import io.imgstore.format.npy.NpyArray;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3Stats;
import io.imgstore.format.storage.s3.S3StoreFiles;
import io.imgstore.format.storage.s3.S3Uploads;
import io.imgstore.service.catalog.RootStorage;
import io.imgstore.service.catalog.StoreIds;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.CameraFrames;
import io.imgstore.testing.Fixtures;
import io.imgstore.testing.GopSizes;
import io.imgstore.testing.S3Proxies;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * The service on an object-storage root ({@code imgstore.root=s3://...}) served by S3Proxy: the
 * reference stores of Python imgstore ({@code ../shared/fixtures/generated}: video mp4/avi/mkv,
 * image and npy/npz directory stores, Motif h5/json) and a multi-GOP camera-like video store are
 * uploaded at test time, then read over HTTP as from a folder: the listing, summaries, frame
 * metadata, extra data, every frame by number and by index in shuffled order (barcode, index,
 * number, exact time), the other frame formats, a thumbnail, a bulk range; a random frame of the
 * video store costs at most twice its GOP's bytes (S3Stats, GOP sizes from the chunk's packets);
 * writes answer 501 {@code root-read-only}; health reports the bucket.
 */
@ServiceIntegrationTest
class S3RootIntegrationTests {

    static final String BUCKET = "s3root-it";
    static final String PREFIX = "lab/stores";
    static final String CAMERA = "camera/gop10";
    static final int H = 480;
    static final int W = 640;
    static final int FRAMES = 200;
    static final int GOP = 10;
    static Path tmp;
    static Path cameraChunk;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws Exception {
        S3Proxies s3 = S3Proxies.shared();
        s3.createBucket(BUCKET);
        tmp = Files.createTempDirectory("imgstore-s3root");
        Path camera = writeCameraStore(tmp.resolve("camera"));
        cameraChunk = camera.resolve("000000.mp4");
        try (S3Client client = s3.client()) {
            S3Uploads up = new S3Uploads(client, S3Location.parse("s3://" + BUCKET + "/" + PREFIX));
            uploadTree(up, Fixtures.require().resolve("generated"), "");
            uploadTree(up, camera, CAMERA + "/");
        }
        // credentials through the SDK's standard chain (system-property twins of AWS_ACCESS_KEY_ID/...)
        s3.setSdkCredentials();
        r.add("imgstore.root", () -> "s3://" + BUCKET + "/" + PREFIX);
        r.add("imgstore.s3.endpoint", () -> s3.endpoint().toString());
        r.add("imgstore.s3.region", () -> S3Proxies.REGION);
        r.add("imgstore.s3.path-style-access", () -> "true");
        r.add("imgstore.s3.block-size", () -> "8KB");
        r.add("management.endpoint.health.show-details", () -> "always");
        r.add("imgstore.s3.read-ahead-blocks", () -> "1");
        r.add("imgstore.demo", () -> "true"); // must not write a demo store into object storage
        r.add("imgstore.registry-size", () -> "4");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        S3Proxies.clearSdkProperties();
        TestStores.delete(tmp);
    }

    @LocalServerPort
    int port;

    @Autowired
    RootStorage storage;

    @Autowired
    io.imgstore.service.ops.StartupLog startupLog;

    /** 200 camera-like frames (texture + noise, barcode strip), one chunk, a keyframe every 10 frames. */
    static Path writeCameraStore(Path dir) {
        CameraFrames camera = new CameraFrames(H, W, 1 << 18);
        StoreSpec spec = StoreSpec.of(StoreFormat.AVC1_MP4, H, W).withChunksize(FRAMES)
                .withEncoder(new VideoEncoderSettings(GOP, 8000, "fast", false));
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec)) {
            for (int i = 0; i < FRAMES; i++) {
                w.addImage(camera.frame(i), 1000 + i, 1.7e9 + i / 25.0);
            }
        }
        return dir;
    }

    static void uploadTree(S3Uploads up, Path from, String keyPrefix) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                up.putFile(keyPrefix + from.relativize(p).toString().replace('\\', '/'), p);
            }
        }
    }

    HttpTestSupport http() {
        return new HttpTestSupport(port);
    }

    @Test
    void listingHasEveryUploadedStoreAndNoDemoStore() {
        Set<String> expected = new HashSet<>();
        for (Fixtures.Store s : Fixtures.generated()) {
            expected.add(s.name());
        }
        expected.add(CAMERA);
        JsonNode list = http().json("/stores");
        Set<String> paths = new HashSet<>();
        list.forEach(n -> paths.add(n.get("path").asText()));
        assertThat(paths).isEqualTo(expected);
        JsonNode camera = http().json("/stores/" + StoreIds.idFor(CAMERA));
        assertThat(camera.get("frame_count").asInt()).isEqualTo(FRAMES);
    }

    @TestFactory
    Stream<DynamicTest> everyFrameOfEveryFixtureFromObjectStorage() {
        List<Fixtures.Store> stores = Fixtures.generated();
        assertThat(stores).isNotEmpty();
        return stores.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s)));
    }

    private void check(Fixtures.Store fixture) throws IOException {
        HttpTestSupport http = http();
        String id = StoreIds.idFor(fixture.name());
        JsonNode m = fixture.manifest();

        FixtureOverHttp.checkSummaryAndExtraData(http, fixture);
        assertThat(http.json("/stores/" + id + "/metadata").toString()).contains(m.get("uuid").asText());

        List<long[]> frames = fixture.frameNumbers();
        JsonNode md = http.json("/stores/" + id + "/frame-metadata");
        assertThat(md.get("frame_number")).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(md.get("frame_number").get(i).asLong()).isEqualTo(frames.get(i)[1]);
            assertThat(md.get("frame_time").get(i).asDouble()).isEqualTo(fixture.frameTime(i));
        }

        FixtureOverHttp.checkEveryFrameShuffled(http, fixture);

        // the other representations of one frame: npy (the pixels), jpeg, a thumbnail
        long n = frames.get(frames.size() / 2)[1];
        HttpResponse<byte[]> npy = http.get("/stores/" + id + "/frames/" + n + "?format=npy");
        assertThat(npy.statusCode()).isEqualTo(200);
        NpyArray a = Npy.read(new ByteArrayInputStream(npy.body()));
        assertThat(a.shape()[0]).isEqualTo(fixture.height());
        assertThat(a.shape()[1]).isEqualTo(fixture.width());
        HttpResponse<byte[]> jpeg = http.get("/stores/" + id + "/frames/" + n + "?format=jpeg");
        assertThat(jpeg.statusCode()).isEqualTo(200);
        assertThat(HttpTestSupport.decode(jpeg.body()).height()).isEqualTo(fixture.height());
        HttpResponse<byte[]> thumb = http.get("/stores/" + id + "/frames/" + n + "?width=" + fixture.width() / 2);
        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(HttpTestSupport.decode(thumb.body()).width()).isEqualTo(fixture.width() / 2);

        // bulk: a range of frame numbers as one npy, each frame equal to the single-frame npy
        int k = Math.min(5, frames.size());
        long from = frames.get(0)[1];
        long to = frames.get(k - 1)[1];
        HttpResponse<byte[]> bulk = http.get("/stores/" + id + "/frames?from=" + from + "&to=" + to + "&format=npy");
        assertThat(bulk.statusCode()).isEqualTo(200);
        NpyArray all = Npy.read(new ByteArrayInputStream(bulk.body()));
        Set<Long> numbers = new java.util.LinkedHashSet<>();
        for (long[] f : frames) {
            if (f[1] >= Math.min(from, to) && f[1] <= Math.max(from, to)) {
                numbers.add(f[1]);
            }
        }
        assertThat(all.shape()[0]).isEqualTo(numbers.size());
        int frameBytes = all.data().length / all.shape()[0];
        int j = 0;
        for (long num : numbers) {
            byte[] single = Npy.read(new ByteArrayInputStream(
                    http.get("/stores/" + id + "/frames/" + num + "?format=npy").body())).data();
            assertThat(Arrays.copyOfRange(all.data(), j * frameBytes, (j + 1) * frameBytes)).as("bulk frame " + num)
                    .isEqualTo(single);
            j++;
        }
    }

    @Test
    void aRandomFrameCostsAtMostTwiceItsGopInBytesFetched() throws Exception {
        List<Long> gops = GopSizes.of(cameraChunk);
        assertThat(gops).hasSize(FRAMES / GOP);
        long chunkSize = Files.size(cameraChunk);
        String id = StoreIds.idFor(CAMERA);
        S3StoreFiles files = storage.s3Files().orElseThrow();
        HttpTestSupport http = http();
        // open the store and the chunk (metadata, index, the container header: paid once)
        assertThat(http.get("/stores/" + id + "/frames/by-index/0").statusCode()).isEqualTo(200);
        List<Integer> order = new ArrayList<>();
        for (int g = 2; g < gops.size(); g += 2) {
            order.add(g);
        }
        Collections.shuffle(order, new Random(11));
        Random rnd = new Random(5);
        for (int g : order.subList(0, 6)) {
            int index = g * GOP + rnd.nextInt(GOP);
            S3Stats before = files.stats();
            HttpResponse<byte[]> r = http.get("/stores/" + id + "/frames/by-index/" + index);
            S3Stats cost = files.stats().minus(before);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Barcode.decodeStrip(HttpTestSupport.decode(r.body()))).isEqualTo(index);
            System.out.printf("S3 root: frame %d (GOP %d of %d bytes, chunk %d bytes): %d bytes in %d GETs%n",
                    index, g, gops.get(g), chunkSize, cost.bytesFetched(), cost.gets());
            assertThat(cost.bytesFetched()).as("bytes fetched for frame " + index).isPositive()
                    .isLessThanOrEqualTo(2 * gops.get(g));
        }
    }

    @Test
    void writesOnAnObjectStorageRootAnswerRootReadOnly() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"path\": \"new/store\", \"format\": \"npy\", \"imgshape\": [8, 8]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.body()).contains("root-read-only").contains("object storage");
        // an existing store cannot be continued either
        r = c.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"07_npy_negative\", \"format\": \"npy\","
                        + " \"imgshape\": [8, 8], \"exist_ok\": true}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.body()).contains("root-read-only");
        assertThat(http().json("/stores").size()).isEqualTo(Fixtures.generated().size() + 1);
    }

    @Test
    void healthChecksTheBucket() {
        JsonNode h = http().json("/actuator/health/storeRoot");
        assertThat(h.get("status").asText()).isEqualTo("UP");
        assertThat(h.get("details").get("path").asText()).isEqualTo("s3://" + BUCKET + "/" + PREFIX);
        assertThat(h.get("details").get("storage").asText()).isEqualTo("s3");
        assertThat(h.get("details").get("writable").asBoolean()).isFalse();
        assertThat(http().json("/actuator/health").get("status").asText()).isEqualTo("UP");
        assertThat(startupLog.message(port)).contains("root      s3://" + BUCKET + "/" + PREFIX + " (object storage, "
                + (Fixtures.generated().size() + 1) + " stores, read-only)");
    }
}
