package io.imgstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/imgstore.jar}, system property {@code imgstore.jar} under failsafe)
 * started as a separate process, for the tests that kill, stop or starve it.
 */
public final class PackagedServer {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PackagedServer() {
    }

    /**
     * Starts the jar with these JVM options and application arguments (after {@code --server.port}),
     * output appended to {@code log}, and waits up to two minutes until {@code /actuator/health} answers 200.
     */
    public static Process start(int port, Path log, List<String> jvmOptions, String... appArgs) throws Exception {
        Path jar = Path.of(System.getProperty("imgstore.jar", "target/imgstore.jar"));
        assertThat(jar).as("packaged jar (./mvnw package)").exists();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        cmd.addAll(List.of(appArgs));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).build();
        while (true) {
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return server;
                }
            } catch (IOException e) {
                // not up yet
            }
            assertThat(server.isAlive()).as("server died at start, see " + log).isTrue();
            assertThat(System.nanoTime()).as("server start within 2 minutes, see " + log).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
