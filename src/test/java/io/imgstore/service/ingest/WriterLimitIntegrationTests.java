package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.testing.ServiceIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

/**
 * {@code imgstore.ingest.writers.*}: beyond {@code max-open} stores open for writing, or beyond the native
 * budget of video encoders, {@code POST /stores} is 503 {@code /problems/busy} with {@code Retry-After}
 * (rather than the kernel killing the container); closing a store makes room again.
 */
@ServiceIntegrationTest
class WriterLimitIntegrationTests {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.ingest.writers.max-open", () -> "2");
        // one 1920x1200 H.264 writer is estimated at 4 MB + 12 B x 2,304,000 px = 31.6 MB: room for one
        r.add("imgstore.ingest.writers.native-budget", () -> "40MB");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> create(String path, String format, int h, int w) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"" + path + "\", \"format\": \"" + format
                        + "\", \"imgshape\": [" + h + ", " + w + "]}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void close(String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stores/"
                + id + "/close")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void refusesWritersBeyondTheNativeBudgetAndTheCountWith503Busy() throws Exception {
        HttpResponse<String> hd1 = create("hd1", "avc1/mp4", 1200, 1920);
        assertThat(hd1.statusCode()).as(hd1.body()).isEqualTo(201);

        HttpResponse<String> hd2 = create("hd2", "avc1/mp4", 1200, 1920);
        assertThat(hd2.statusCode()).as(hd2.body()).isEqualTo(503);
        assertThat(hd2.headers().firstValue("Retry-After")).isPresent();
        JsonNode p = Records.JSON.readTree(hd2.body());
        assertThat(p.path("type").asString()).isEqualTo("/problems/busy");
        assertThat(p.path("detail").asString()).contains("not enough memory for another video writer")
                .contains("imgstore.ingest.writers.native-budget");

        // an image format's writer has no encoder: only the count applies
        HttpResponse<String> npy = create("small", "npy", 120, 160);
        assertThat(npy.statusCode()).as(npy.body()).isEqualTo(201);
        HttpResponse<String> third = create("third", "npy", 120, 160);
        assertThat(third.statusCode()).as(third.body()).isEqualTo(503);
        assertThat(Records.JSON.readTree(third.body()).path("detail").asString())
                .contains("imgstore.ingest.writers.max-open");

        close(Records.JSON.readTree(hd1.body()).get("id").asString());
        HttpResponse<String> again = create("hd2", "avc1/mp4", 1200, 1920);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        close(Records.JSON.readTree(again.body()).get("id").asString());
        close(Records.JSON.readTree(npy.body()).get("id").asString());
    }

    @Test
    void theBudgetIsDerivedFromTheContainerLimitMinusTheHeap() {
        WriterLimitProperties defaults = new WriterLimitProperties(0, null, DataSize.ofMegabytes(160),
                DataSize.ofMegabytes(4), 12);
        long mb = 1L << 20;
        // docker run --memory 1g, heap 60 %: 1024 - 614 - 160 = 250 MB, room for 7 HD H.264 writers
        WriterLimit oneGig = new WriterLimit(defaults, 1024 * mb, 614 * mb);
        assertThat(oneGig.nativeBudget()).isEqualTo(250 * mb);
        // --memory 512m: 512 - 307 - 160 = 45 MB: one HD writer, the second is refused
        WriterLimit half = new WriterLimit(defaults, 512 * mb, 307 * mb);
        var hd = IngestSessions.specOf(new CreateStoreRequest("x", "avc1/mp4", List.of(1200, 1920), null, null, null, null));
        assertThat(half.nativeBytes(hd)).isBetween(30 * mb, 33 * mb);
        half.check(hd, List.of());
        assertThat(new WriterLimit(defaults, -1, 614 * mb).nativeBudget()).as("no container limit").isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> new WriterLimit(defaults, 300 * mb, 180 * mb).check(hd, List.of()))
                .isInstanceOf(WriterLimit.TooManyWritersException.class);
    }
}
