package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.service.catalog.StoreIds;
import io.imgstore.testing.Fixtures;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        FixtureOverHttp.checkSummaryAndExtraData(http, fixture);
        JsonNode summary = http.json("/stores/" + StoreIds.idFor(fixture.name()));
        assertThat(summary.get("lossless").asBoolean()).isEqualTo(fixture.lossless());
        FixtureOverHttp.checkEveryFrameShuffled(http, fixture);
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
