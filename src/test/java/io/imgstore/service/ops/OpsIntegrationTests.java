package io.imgstore.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.service.ingest.CreateStoreRequest;
import io.imgstore.service.ingest.IngestSessions;
import io.imgstore.testing.ServiceIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The operator's view: the start-up log block, /actuator/info, /actuator/prometheus, the storeRoot health. */
@ServiceIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class OpsIntegrationTests {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws Exception {
        for (String p : List.of("rig1/a", "rig2/b")) {
            try (ImgStoreWriter w = ImgStoreWriter.create(root.resolve(p), IngestSessions.specOf(
                    new CreateStoreRequest(p, "npy", List.of(8, 8), null, 10, null, null)))) {
                w.addImage(new Image(8, 8, 1, PixelType.UINT8, new byte[64]), 0, 0);
            }
        }
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    StartupLog startupLog;

    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void logsTheUrlsTheRootAndTheStoresOnceReady(CapturedOutput output) {
        String all = output.getAll();
        assertThat(all).contains("imgstore is ready");
        String block = all.substring(all.indexOf("imgstore is ready"));
        assertThat(block).contains("serving   http://localhost:" + port + "/")
                .contains("root      " + root.toAbsolutePath() + " (2 stores, writable)");
        assertThat(all.split("imgstore is ready", -1)).as("one block").hasSize(2);
        // bound to every interface (no server.address): each non-loopback address is listed too
        assertThat(StartupLog.urls(null, 8080, "/")).first().isEqualTo("http://localhost:8080/");
        assertThat(StartupLog.urls(null, 8080, "/")).allSatisfy(u -> assertThat(u).doesNotContain("127.0.0.1"));
        assertThat(StartupLog.urls("127.0.0.1", 8080, "/")).containsExactly("http://localhost:8080/");
        assertThat(StartupLog.urls("10.1.2.3", 8080, "/")).containsExactly("http://10.1.2.3:8080/");
        assertThat(startupLog.message(1234)).contains("http://localhost:1234/");
    }

    @Test
    void infoHasVersionGitCommitAndTheH264Encoder() throws Exception {
        HttpResponse<String> r = get("/actuator/info");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode info = JSON.readTree(r.body());
        assertThat(info.at("/build/version").asString()).isNotBlank();
        assertThat(info.at("/build/artifact").asString()).isEqualTo("imgstore-java");
        // built from a git checkout (tests run from one): git.properties is there
        assertThat(info.at("/git/commit/id").asString()).matches("[0-9a-f]{7,40}");
        assertThat(info.at("/codecs/h264_encoder").asString()).matches("(libopenh264|libx264).*");
        assertThat(info.at("/codecs/versions").asString()).contains("FFmpeg").contains("OpenCV");
        assertThat(info.at("/java/version").asString()).isNotBlank();
    }

    @Test
    void prometheusIsExposedAndPublicWithoutProtectedReads() throws Exception {
        HttpResponse<String> r = get("/actuator/prometheus");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("imgstore_ingest_open").contains("jvm_memory_used_bytes")
                .contains("http_server_requests");
    }

    @Test
    void storeRootHealthIsUpAndWritable() throws Exception {
        HttpResponse<String> r = get("/actuator/health/storeRoot");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("status").asString()).isEqualTo("UP");
        StoreRootHealth.Probe p = StoreRootHealth.probe(root);
        assertThat(p.writable()).isTrue();
        assertThat(p.uid()).isNotBlank();
    }
}
