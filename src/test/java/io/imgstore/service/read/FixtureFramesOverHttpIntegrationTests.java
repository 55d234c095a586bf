package io.imgstore.service.read;

import static io.imgstore.service.read.HttpTestSupport.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.service.catalog.StoreIds;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Frame accuracy under random access, end to end: every frame of every store in
 * {@code ../shared/fixtures/generated} (written by Python imgstore), fetched over HTTP by frame
 * number and by index in shuffled order, as PNG decoded with ImageIO, must show its own barcode
 * and carry its own index, number and exact time. The fixtures are copied to a temporary root
 * (never written to); the test is skipped when they are absent.
 */
@ServiceIntegrationTest
class FixtureFramesOverHttpIntegrationTests {

    static final Path ROOT = TestStores.tempRoot("imgstore-read-fixtures");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("imgstore.root", ROOT::toString);
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.registry-size", () -> "4");
    }

    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicTest> everyFrameOfEveryGeneratedFixtureOverHttp() throws IOException {
        Path generated = Fixtures.require().resolve("generated");
        if (!Files.exists(ROOT.resolve("manifest.json"))) {
            copyTree(generated, ROOT);
        }
        List<Fixtures.Store> stores = Fixtures.generated();
        assertThat(stores).isNotEmpty();
        return stores.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s)));
    }

    private void check(Fixtures.Store fixture) {
        HttpTestSupport http = new HttpTestSupport(port);
        String id = StoreIds.idFor(fixture.name());
        JsonNode m = fixture.manifest();

        JsonNode summary = http.json("/stores/" + id);
        assertThat(summary.get("frame_count").asInt()).isEqualTo(fixture.frameCount());
        assertThat(summary.get("frame_min").asLong()).isEqualTo(m.get("frame_min").asLong());
        assertThat(summary.get("frame_max").asLong()).isEqualTo(m.get("frame_max").asLong());
        assertThat(summary.get("image_shape").toString()).isEqualTo(m.get("image_shape").toString());
        assertThat(summary.get("class").asText()).isEqualTo(m.get("class").asText());
        assertThat(summary.get("chunks").toString()).isEqualTo(m.get("chunks").toString());
        assertThat(summary.get("uuid").asText()).isEqualTo(m.get("uuid").asText());
        assertThat(summary.get("lossless").asBoolean()).isEqualTo(fixture.lossless());
        assertThat(summary.get("user_metadata")).isEqualTo(m.get("user_metadata"));

        JsonNode extra = http.json("/stores/" + id + "/extra-data");
        int expectedRows = m.has("extra_rows") ? m.get("extra_rows").asInt() : m.get("extra").size();
        assertThat(extra).hasSize(expectedRows);

        // first index of each frame number (lookups by number return the first)
        Map<Long, Integer> firstIndex = new HashMap<>();
        List<long[]> frames = fixture.frameNumbers();
        for (long[] f : frames) {
            firstIndex.putIfAbsent(f[1], (int) f[0]);
        }
        List<String> requests = new ArrayList<>();
        for (long[] f : frames) {
            requests.add("n:" + f[1]);
            requests.add("i:" + f[0]);
        }
        Collections.shuffle(requests, new Random(fixture.name().hashCode()));
        for (String req : requests) {
            boolean byNumber = req.startsWith("n:");
            long value = Long.parseLong(req.substring(2));
            int index = byNumber ? firstIndex.get(value) : (int) value;
            long number = frames.get(index)[1];
            String url = "/stores/" + id + "/frames/" + (byNumber ? value : "by-index/" + value);
            HttpResponse<byte[]> r = http.get(url);
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            assertThat(header(r, "X-Frame-Index")).as(url).isEqualTo(Integer.toString(index));
            assertThat(header(r, "X-Frame-Number")).as(url).isEqualTo(Long.toString(number));
            assertThat(Double.parseDouble(header(r, "X-Frame-Time"))).as(url).isEqualTo(fixture.frameTime(index));
            assertThat(Barcode.decode(HttpTestSupport.decode(r.body()))).as(url).isEqualTo(Barcode.expected(number));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(p -> {
                Path t = to.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t);
                        t.toFile().setWritable(true);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
