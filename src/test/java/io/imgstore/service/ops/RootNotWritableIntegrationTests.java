package io.imgstore.service.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imgstore.testing.ServiceIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store root the server cannot write (a volume owned by another uid, a read-only mount): creating a
 * store is 503 {@code /problems/root-not-writable} naming the uid, the {@code storeRoot} health component
 * is DOWN (so Docker's health check reports it), and reads keep working.
 *
 * <p>Root ignores permissions, so as root (our CI) the root is a folder of a file system that refuses
 * every write (a sysfs folder: {@code mkdir} is EPERM even for root); otherwise a {@code chmod 555} folder.
 */
@ServiceIntegrationTest
class RootNotWritableIntegrationTests {

    static final Path SYSFS_DIR = Path.of("/sys/kernel/mm/transparent_hugepage");
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        root = unwritableRoot();
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.ingest.recover-on-start", () -> "false");
    }

    static Path unwritableRoot() throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            assumeTrue(Files.isDirectory(SYSFS_DIR) && !StoreRootHealth.probe(SYSFS_DIR).writable(),
                    SYSFS_DIR + " is absent or writable: no read-only folder for a test running as root");
            return SYSFS_DIR;
        }
        Path dir = Files.createTempDirectory("imgstore-ro");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        dir.toFile().deleteOnExit();
        return dir;
    }

    @LocalServerPort
    int port;

    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    @Test
    void creatingAStoreIsARootNotWritableProblemNamingTheUid() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/stores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"a\", \"format\": \"npy\", \"imgshape\": [8, 8]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("type").asString()).isEqualTo("/problems/root-not-writable");
        assertThat(p.path("detail").asString()).contains("not writable by this server (uid " + StoreRootHealth.uid() + ")")
                .contains("creating a");
    }

    @Test
    void healthIsDownForTheStoreRootWhileReadsWork() throws Exception {
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(uri("/actuator/health/storeRoot")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(h.body()).path("status").asString()).isEqualTo("DOWN");
        HttpResponse<String> all = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(all.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(all.body()).at("/components/storeRoot/status").asString()).isEqualTo("DOWN");
        assertThat(JSON.readTree(all.body()).at("/components/stores/status").asString()).isEqualTo("UP");
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(uri("/stores")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
    }
}
