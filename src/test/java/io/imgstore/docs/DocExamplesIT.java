package io.imgstore.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Ci;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every example of the documentation runs: each fenced block whose info string is exactly {@code bash}
 * or {@code python} in README.md and docs/*.md (see {@link DocFiles}) is run against the packaged jar,
 * started once on a free port with a temporary root and the demo store ({@code demo/barcodes}).
 *
 * <p>Each block runs in its own empty working directory with {@code IMGSTORE_URL=http://localhost:PORT},
 * {@code IMGSTORE_JAR} (the jar's absolute path), {@code STORE} (a gray 64x64 {@code avc1/mp4} store of
 * frames 0..99 written here with the library), {@code PYTHONPATH} with the Python client
 * ({@code clients/python}, so {@code import imgstore_client} works) and {@code PATH} starting with {@code /usr/bin} (so
 * {@code python3} is Debian's, with numpy): bash blocks with {@code bash -euo pipefail}, python blocks
 * with {@code /usr/bin/python3}. Each must exit 0 within 60 s; a failure names the file and line of
 * the block's opening fence and shows the end of its output. Blocks that start a server or need Docker
 * are written as {@code console} and not run.
 *
 * <p>Needs {@code target/imgstore.jar} (failsafe runs after {@code package}), curl and python3-numpy
 * (skipped without them, failed in CI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocExamplesIT {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(60);

    Path projectDir;
    Path tmp;
    Path jar;
    Path store;
    Process server;
    int port;
    Path log;

    @BeforeAll
    void start() throws Exception {
        projectDir = DocFiles.projectDir();
        boolean tools = Files.isExecutable(PYTHON) && Files.isExecutable(Path.of("/usr/bin/curl"))
                && run(List.of(PYTHON.toString(), "-c", "import numpy"), Files.createTempDirectory("imgstore-np"), Map.of()) == 0;
        Ci.require(tools, "the documentation examples need curl and Debian's python3-numpy",
                "skipping the documentation examples: /usr/bin/curl or /usr/bin/python3 with numpy is missing");
        tmp = Files.createTempDirectory("imgstore-docs");
        jar = Path.of(System.getProperty("imgstore.jar", "target/imgstore.jar")).toAbsolutePath();
        assertThat(jar).as("packaged jar (./mvnw package)").exists();
        store = writeStore(tmp.resolve("store"));
        Path root = Files.createDirectories(tmp.resolve("root"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = tmp.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "--server.port=" + port,
                "--imgstore.root=" + root, "--imgstore.demo=true")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitDemoStore();
    }

    /** A gray 64x64 avc1/mp4 store of frames 0..99 (chunks of 50), for examples that need a store on disk. */
    static Path writeStore(Path dir) {
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.AVC1_MP4, 64, 64).withChunksize(50))) {
            for (int n = 0; n < 100; n++) {
                byte[] pixels = new byte[64 * 64];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (byte) ((i % 64) * 3 + n);
                }
                w.addImage(new Image(64, 64, 1, PixelType.UINT8, pixels), n, 1.7e9 + n / 25.0);
            }
        }
        return dir;
    }

    private void awaitDemoStore() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // the listing (metadata.yaml only), not the summary: asking for the summary while the demo store is
        // still being written would open a reader that may keep serving the unfinished index
        HttpRequest demo = HttpRequest.newBuilder(URI.create(url() + "/stores?q=demo/barcodes"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            try {
                HttpResponse<String> r = http.send(demo, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"path\":\"demo/barcodes\"")
                        && r.body().contains("\"writing\":false")) {
                    return; // written completely (the demo store is listed while it is being written)
                }
            } catch (IOException e) {
                // not up yet
            }
            assertThat(server.isAlive()).as("server died at start:\n" + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("server with the finished demo store up within 180 s").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null && server.isAlive()) {
            server.destroy();
            try {
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                server.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (tmp != null) {
            try (Stream<Path> files = Files.walk(tmp)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    String url() {
        return "http://localhost:" + port;
    }

    @TestFactory
    Stream<DynamicTest> everyBashAndPythonBlockRuns() {
        List<DocFiles.CodeBlock> blocks = new ArrayList<>();
        for (Path md : DocFiles.markdownFiles(projectDir)) {
            DocFiles.codeBlocks(md).stream().filter(DocFiles.CodeBlock::runnable).forEach(blocks::add);
        }
        assertThat(blocks).as("runnable blocks in README.md").anyMatch(b -> b.file().endsWith("README.md"));
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.where(projectDir) + " (" + b.info() + ")",
                () -> runBlock(b)));
    }

    private void runBlock(DocFiles.CodeBlock block) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "block");
        Path script = dir.resolve(block.info().equals("bash") ? "block.sh" : "block.py");
        Files.writeString(script, block.code());
        List<String> cmd = block.info().equals("bash")
                ? List.of("/bin/bash", "-euo", "pipefail", script.toString())
                : List.of(PYTHON.toString(), script.toString());
        Path out = dir.resolve("output.txt");
        int rc = run(cmd, dir, Map.of("IMGSTORE_URL", url(), "IMGSTORE_JAR", jar.toString(),
                "STORE", store.toString(), "PYTHONPATH", Path.of("clients", "python").toAbsolutePath().toString()), out);
        if (rc != 0) {
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (output.length() > 4000) {
                output = "...\n" + output.substring(output.length() - 4000);
            }
            fail(block.where(projectDir) + ": the " + block.info() + " block starting on this line "
                    + (rc == Integer.MIN_VALUE ? "did not finish within " + BLOCK_TIMEOUT.toSeconds() + " s" : "exited " + rc)
                    + "\n--- output ---\n" + output);
        }
    }

    private static int run(List<String> cmd, Path dir, Map<String, String> env) throws Exception {
        return run(cmd, dir, env, dir.resolve("output.txt"));
    }

    /** Runs {@code cmd} in {@code dir}; the exit code, or {@link Integer#MIN_VALUE} after the timeout. */
    private static int run(List<String> cmd, Path dir, Map<String, String> env, Path out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().put("PATH", "/usr/bin:/bin:" + pb.environment().getOrDefault("PATH", ""));
        Process p = pb.start();
        if (!p.waitFor(BLOCK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return Integer.MIN_VALUE;
        }
        return p.exitValue();
    }
}
