package io.imgstore.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.testing.ServiceIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With protected reads, the meters need a read token; health and info stay public (Docker's check has none). */
@ServiceIntegrationTest
class ProtectedMetricsIntegrationTests {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.security.protect-reads", () -> "true");
        r.add("imgstore.security.tokens.scraper.value", () -> "scrape-token-0123456789abcdef");
        r.add("imgstore.security.tokens.scraper.scope", () -> "read");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private int status(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void prometheusAndMetricsNeedAReadTokenHealthAndInfoDoNot() throws Exception {
        assertThat(status("/actuator/prometheus", null)).isEqualTo(401);
        assertThat(status("/actuator/metrics/jvm.memory.used", null)).isEqualTo(401);
        assertThat(status("/actuator/prometheus", "scrape-token-0123456789abcdef")).isEqualTo(200);
        assertThat(status("/actuator/metrics/jvm.memory.used", "scrape-token-0123456789abcdef")).isEqualTo(200);
        assertThat(status("/actuator/health", null)).isEqualTo(200);
        assertThat(status("/actuator/info", null)).isEqualTo(200);
    }
}
