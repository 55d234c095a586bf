package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.format.StoreLocations;
import io.imgstore.format.StoreNotFoundException;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3StoreFiles;
import io.imgstore.format.storage.s3.S3Uploads;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import io.imgstore.testing.S3Proxies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores in object storage through the library's {@link StoreLocations} and the CLI's read
 * commands ({@code info}, {@code extract}, {@code timecodes} with {@code s3://bucket/prefix/store}):
 * reference stores (video mp4/avi/mkv, npy/npz, Motif h5) uploaded to S3Proxy at test time read the
 * same as the local folders, every frame in shuffled order. The CLI's client comes from the SDK's
 * standard configuration, given here through its system-property twins.
 */
class S3StoreCliTest {

    static final String BUCKET = "cli-s3";
    static final List<String> STORES = List.of("00_avc1-mp4_contiguous", "03_h264-mkv_negative", "06_mjpeg-avi_wrap",
            "07_npy_negative", "motif_h5", "09_png_gaps");
    static S3Client client;

    @TempDir
    Path tmp;

    @BeforeAll
    static void upload() throws Exception {
        S3Proxies s3 = S3Proxies.shared();
        s3.createBucket(BUCKET);
        client = s3.client();
        S3Uploads up = new S3Uploads(client, S3Location.parse("s3://" + BUCKET + "/lab"));
        for (Fixtures.Store store : fixtures()) {
            try (Stream<Path> s = Files.walk(store.dir())) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    up.putFile(store.name() + "/" + store.dir().relativize(p).toString().replace('\\', '/'), p);
                }
            }
        }
        s3.setSdkProperties(false);
    }

    @AfterAll
    static void cleanUp() {
        S3Proxies.clearSdkProperties();
        if (client != null) {
            client.close();
        }
    }

    static List<Fixtures.Store> fixtures() {
        List<Fixtures.Store> out = Fixtures.generated().stream().filter(s -> STORES.contains(s.name())).toList();
        assertThat(out).hasSize(STORES.size());
        return out;
    }

    static String s3(Fixtures.Store s) {
        return "s3://" + BUCKET + "/lab/" + s.name();
    }

    @Test
    void everyFrameThroughStoreLocationsEqualsTheLocalStore() {
        for (Fixtures.Store fixture : fixtures()) {
            try (ImgStore remote = StoreLocations.open(s3(fixture), client, S3StoreFiles.Options.defaults());
                    ImgStore local = StoreLocations.open(fixture.dir().toString())) {
                assertThat(remote.frameCount()).isEqualTo(local.frameCount()).isEqualTo(fixture.frameCount());
                assertThat(remote.userMetadata()).isEqualTo(local.userMetadata());
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < remote.frameCount(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new Random(fixture.name().hashCode()));
                for (int i : order) {
                    Frame r = remote.getFrameByIndex(i);
                    Frame l = local.getFrameByIndex(i);
                    assertThat(r.info()).as(fixture.name() + " " + i).isEqualTo(l.info());
                    assertThat(r.image().data()).as(fixture.name() + " " + i).isEqualTo(l.image().data());
                    assertThat(Barcode.decode(r.image())).isEqualTo(Barcode.expected(r.frameNumber()));
                }
            }
        }
    }

    @Test
    void locationsAreCheckedBeforeAnyRequest() {
        Fixtures.Store video = fixtures().get(0);
        try (ImgStore s = StoreLocations.open(s3(video) + "/metadata.yaml", client, S3StoreFiles.Options.defaults())) {
            assertThat(s.frameCount()).isEqualTo(video.frameCount());
        }
        assertThatThrownBy(() -> StoreLocations.open("s3://" + BUCKET + "/lab/../other", client,
                S3StoreFiles.Options.defaults())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoreLocations.open("s3://" + BUCKET + "/lab/absent", client,
                S3StoreFiles.Options.defaults())).isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void cliInfoOnAnS3StoreEqualsInfoOnTheFolder() {
        JsonMapper json = JsonMapper.builder().build();
        for (Fixtures.Store fixture : fixtures()) {
            CliTest.Run remote = CliTest.run("info", "--json", s3(fixture));
            CliTest.Run local = CliTest.run("info", "--json", fixture.dir().toString());
            assertThat(remote.exit()).as(remote.err()).isZero();
            JsonNode r = json.readTree(remote.out());
            JsonNode l = json.readTree(local.out());
            ((ObjectNode) r).remove("path");
            ((ObjectNode) l).remove("path");
            assertThat(r).isEqualTo(l);
            assertThat(r.get("frame_count").asInt()).isEqualTo(fixture.frameCount());
        }
        CliTest.Run text = CliTest.run("info", s3(fixtures().get(0)));
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("frame_count:    " + fixtures().get(0).frameCount());
        CliTest.Run bad = CliTest.run("info", "s3://" + BUCKET + "/lab/absent");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("imgstore info: ").doesNotContain("Exception\n\tat");
    }

    @Test
    void viewServesAnS3StoreFromItsParentPrefix() throws Exception {
        Fixtures.Store video = fixtures().get(0);
        try (ViewCommand.Running running = ViewCommand.startS3(s3(video), 0, "127.0.0.1")) {
            assertThat(running.storeId()).isEqualTo(io.imgstore.service.catalog.StoreIds.idFor(video.name()));
            String base = running.url().substring(0, running.url().indexOf("/?"));
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/stores/" + running.storeId()))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JsonMapper.builder().build().readTree(r.body()).get("frame_count").asInt())
                    .isEqualTo(video.frameCount());
        }
        assertThatThrownBy(() -> ViewCommand.startS3("s3://" + BUCKET, 0, "127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cliExtractAndTimecodesOnAnS3StoreEqualTheFolder() throws Exception {
        for (Fixtures.Store fixture : fixtures()) {
            Path a = tmp.resolve(fixture.name() + "-s3");
            Path b = tmp.resolve(fixture.name() + "-local");
            CliTest.Run remote = CliTest.run("extract", s3(fixture), "-i", "0..4", "-o", a + "/", "-q");
            CliTest.Run local = CliTest.run("extract", fixture.dir().toString(), "-i", "0..4", "-o", b + "/", "-q");
            assertThat(remote.exit()).as(remote.err()).isZero();
            assertThat(local.exit()).as(local.err()).isZero();
            List<String> names;
            try (Stream<Path> s = Files.list(a)) {
                names = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertThat(names).hasSize(Math.min(5, fixture.frameCount()));
            for (String n : names) {
                assertThat(Files.readAllBytes(a.resolve(n))).as(fixture.name() + "/" + n)
                        .isEqualTo(Files.readAllBytes(b.resolve(n)));
            }
            CliTest.Run t1 = CliTest.run("timecodes", s3(fixture), "-q");
            CliTest.Run t2 = CliTest.run("timecodes", fixture.dir().toString(), "-q");
            assertThat(t1.exit()).as(t1.err()).isZero();
            assertThat(t1.out()).isEqualTo(t2.out()).isNotBlank();
        }
    }
}
