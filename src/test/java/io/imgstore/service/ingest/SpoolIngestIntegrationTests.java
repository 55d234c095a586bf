package io.imgstore.service.ingest;

import static io.imgstore.service.ingest.IngestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.WriterCrashes;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.StoreTransfer;
import io.imgstore.service.catalog.StoreIds;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.S3Proxies;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * Ingest on an object-storage root ({@code imgstore.root=s3://...} with {@code imgstore.s3.spool-dir})
 * against S3Proxy: a store created and pushed over HTTP is written in the spool, read live (from the
 * spool) while its finished chunks appear in the bucket, and after close read from the bucket
 * frame-exact (barcodes); a store a killed server left in the spool is finished at start (recovered,
 * uploaded, removed from the spool) with every frame.
 */
@ServiceIntegrationTest
class SpoolIngestIntegrationTests {

    static final String BUCKET = "spool-ingest-it";
    static final String PREFIX = "lab";
    static final int H = 48;
    static final int W = 64;
    static Path spool;
    static S3Proxies s3;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws Exception {
        s3 = S3Proxies.shared();
        s3.createBucket(BUCKET);
        spool = Files.createTempDirectory("imgstore-spool");
        leftover(spool.resolve("left/over"));
        System.setProperty("aws.accessKeyId", s3.accessKey());
        System.setProperty("aws.secretAccessKey", s3.secretKey());
        r.add("imgstore.root", () -> "s3://" + BUCKET + "/" + PREFIX);
        r.add("imgstore.s3.endpoint", () -> s3.endpoint().toString());
        r.add("imgstore.s3.region", () -> S3Proxies.REGION);
        r.add("imgstore.s3.path-style-access", () -> "true");
        r.add("imgstore.s3.spool-dir", () -> spool.toString());
        r.add("imgstore.demo", () -> "false");
        // S3Proxy 2.6.0 ignores conditional writes: writer leases on it only in the weaker mode, explicitly
        r.add("imgstore.cluster.allow-unsafe-object-leases", () -> "true");

        r.add("imgstore.ingest.sync-interval", () -> "100ms");
    }

    /**
     * What a killed server leaves: 13 frames in chunks of 5 (chunks 0 and 1 finished, chunk 2 open with
     * its journal, {@code .lock}); chunk 0 was uploaded already.
     */
    static void leftover(Path dir) throws IOException {
        ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.PNG, H, W).withChunksize(5));
        for (int i = 0; i < 13; i++) {
            w.addImage(Barcode.draw(i, H, W, 1, PixelType.UINT8), i, 1000 + i);
        }
        w.sync();
        WriterCrashes.abandon(w);
        try (S3Client c = s3.client()) {
            StoreTransfer t = new StoreTransfer(c, StoreTransfer.Options.defaults());
            S3Location dest = S3Location.parse("s3://" + BUCKET + "/" + PREFIX + "/left/over");
            for (int i = 0; i < 5; i++) {
                t.putFile(dir, dest, String.format("000000/%06d.png", i));
            }
            t.putFile(dir, dest, "000000/index.npz");
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        try (Stream<Path> s = Files.walk(spool)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    IngestSessions sessions;

    private final IngestHttp http = new IngestHttp(() -> port);

    private Set<String> keys(String prefix) {
        Set<String> out = new TreeSet<>();
        try (S3Client c = s3.client()) {
            c.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents()
                    .forEach(o -> out.add(o.key().substring(prefix.length())));
        }
        return out;
    }

    private int barcodeOf(String id, String frame) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/frames/" + frame
                + (frame.contains("?") ? "&" : "?") + "format=png")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return Barcode.decode(ImageCodec.decode(r.body(), false));
    }

    private JsonNode summary(String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    static io.imgstore.format.LeaseRecord leaseRecord(String key) {
        try (S3Client c = s3.client()) {
            return io.imgstore.format.LeaseRecord.parse(c.getObjectAsBytes(b -> b.bucket(BUCKET).key(key))
                    .asUtf8String());
        }
    }

    @Test
    void aStoreLeftInTheSpoolIsFinishedAtStart() throws Exception {
        String id = StoreIds.idFor("left/over");
        assertThat(spool.resolve("left/over")).doesNotExist();
        assertThat(keys(PREFIX + "/left/over/")).contains("metadata.yaml", "000000/index.npz", "000001/index.npz",
                "000002/index.npz", "000002/000002.png").noneMatch(k -> k.endsWith(".journal") || k.endsWith(".lock"));
        assertThat(leaseRecord(PREFIX + "/left/over/.lease.0").released()).as("finished under the store's lease")
                .isTrue();
        JsonNode s = summary(id);
        assertThat(s.get("frame_count").asInt()).isEqualTo(13);
        for (int n = 0; n < 13; n++) {
            assertThat(barcodeOf(id, String.valueOf(n))).as("frame %d", n).isEqualTo(Barcode.expected(n));
        }
    }

    @Test
    void aStorePushedOverHttpIsReadLiveThenFromTheBucket() throws Exception {
        String id = http.create("rigs/cam1", "avc1/mp4", H, W, 10);
        Path dir = spool.resolve("rigs/cam1");
        assertThat(dir.resolve("metadata.yaml")).exists();
        HttpResponse<String> r = http.pushChunked(id, Records.frames(0, 25, H, W, 1));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // while it is written: listed and read from the spool (finished chunks), chunks going to the bucket
        assertThat(sessions.find(id)).isNotNull();
        IngestIntegrationTests.waitFor(() -> {
            try {
                return summary(id).get("frame_count").asInt() >= 20;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(summary(id).get("writing").asBoolean()).isTrue();
        IngestIntegrationTests.waitFor(() -> keys(PREFIX + "/rigs/cam1/").containsAll(
                Set.of("000000.mp4", "000000.npz", "000001.mp4", "000001.npz", "metadata.yaml")));
        assertThat(keys(PREFIX + "/rigs/cam1/")).noneMatch(k -> k.startsWith("000002"));
        for (int n = 0; n < 20; n++) {
            assertThat(barcodeOf(id, String.valueOf(n))).as("live frame %d", n).isEqualTo(Barcode.expected(n));
        }
        // a second create at the same path is refused while it is written
        HttpResponse<String> again = http.postJson("/stores", "{\"path\": \"rigs/cam1\", \"format\": \"avc1/mp4\","
                + " \"imgshape\": [" + H + ", " + W + "]}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(leaseRecord(PREFIX + "/rigs/cam1/.lease.0").released()).as("the store's lease in the bucket, held")
                .isFalse();

        HttpResponse<String> closed = http.send(HttpRequest.newBuilder(http.uri("/stores/" + id + "/close"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
        assertThat(json(closed).get("frame_count").asLong()).isEqualTo(25);
        assertThat(dir).doesNotExist();
        assertThat(keys(PREFIX + "/rigs/cam1/")).containsExactly(".lease.0", "000000.mp4", "000000.npz", "000001.mp4",
                "000001.npz", "000002.mp4", "000002.npz", "metadata.yaml");
        assertThat(leaseRecord(PREFIX + "/rigs/cam1/.lease.0").released()).as("released after the upload").isTrue();
        JsonNode s = summary(id);
        assertThat(s.get("frame_count").asInt()).isEqualTo(25);
        assertThat(s.get("writing").asBoolean()).isFalse();
        for (int n = 0; n < 25; n++) {
            assertThat(barcodeOf(id, String.valueOf(n))).as("frame %d from the bucket", n).isEqualTo(Barcode.expected(n));
        }
        // closed in object storage: not continued, not created again
        HttpResponse<String> more = http.pushChunked(id, Records.frames(25, 26, H, W, 1));
        assertThat(more.statusCode()).as(more.body()).isEqualTo(409);
        HttpResponse<String> recreate = http.postJson("/stores", "{\"path\": \"rigs/cam1\", \"format\": \"avc1/mp4\","
                + " \"imgshape\": [" + H + ", " + W + "]}");
        assertThat(recreate.statusCode()).as(recreate.body()).isEqualTo(409);
        HttpResponse<String> continued = http.postJson("/stores", "{\"path\": \"rigs/cam1\", \"format\": \"avc1/mp4\","
                + " \"imgshape\": [" + H + ", " + W + "], \"exist_ok\": true}");
        assertThat(continued.statusCode()).as(continued.body()).isEqualTo(409);
        assertThat(continued.body()).contains("object storage");
        HttpResponse<String> inside = http.postJson("/stores", "{\"path\": \"rigs/cam1/sub\", \"format\": \"avc1/mp4\","
                + " \"imgshape\": [" + H + ", " + W + "]}");
        assertThat(inside.statusCode()).as(inside.body()).isEqualTo(409);
        assertThat(spool.resolve("rigs/cam1")).doesNotExist();
    }
}
