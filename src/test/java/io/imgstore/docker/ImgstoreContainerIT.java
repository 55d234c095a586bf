package io.imgstore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HealthCheck;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.HostileFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Docker image, built from docker/Dockerfile and target/imgstore.jar, used as a deployment
 * would: a store root bind-mounted at /stores, a memory limit, Docker's own health check, HTTP on
 * 8080, and `docker run IMAGE <cli command>`.
 *
 * <p>Skipped on machines without a Docker engine; .ci/run makes sure CI is not such a machine (it
 * fails when these tests were skipped other than by an explicit {@code @Disabled("until ...")}).
 */
@Testcontainers(disabledWithoutDocker = true)
class ImgstoreContainerIT {

    private static final Logger LOG = LoggerFactory.getLogger(ImgstoreContainerIT.class);

    static final long MEMORY_LIMIT = 1L << 30;
    static final double HEAP_SHARE = 0.60;     // -XX:MaxRAMPercentage=60 in the Dockerfile
    static final int INGEST_HEIGHT = 48;
    static final int INGEST_WIDTH = 160;

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path work;

    /** Host side of the writable store root, mounted at /stores. */
    static Path root;
    /** A temporary copy of ../shared/fixtures/generated, mounted read-only at /stores/fixtures; null without fixtures. */
    static Path fixtures;
    static GenericContainer<?> service;

    @BeforeAll
    static void startService() throws Exception {
        // The container's user (uid 10001) must reach the mounts: the temp dir is 0700 by default.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = Files.createDirectory(work.resolve("stores"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        fixtures = copyFixtures(work.resolve("fixtures"));

        long building = System.nanoTime();
        String image = ImgstoreImage.get().get();
        LOG.info("image {} built in {} ms on {}", image,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - building), ImgstoreImage.baseImage());

        service = new GenericContainer<>(ImgstoreImage.get())
                .withExposedPorts(8080)
                .withFileSystemBind(root.toString(), "/stores", BindMode.READ_WRITE)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.getHostConfig().withMemory(MEMORY_LIMIT).withMemorySwap(MEMORY_LIMIT);
                    // The image's HEALTHCHECK command, polled every second instead of every 30 s.
                    cmd.withHealthcheck(new HealthCheck().withInterval(Duration.ofSeconds(1).toNanos()));
                })
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
        if (fixtures != null) {
            service.withFileSystemBind(fixtures.toString(), "/stores/fixtures", BindMode.READ_ONLY);
        }
        long started = System.nanoTime();
        service.start();
        LOG.info("service container healthy {} ms after its start", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @AfterAll
    static void stopService() throws Exception {
        if (service == null) {
            return;
        }
        if (service.isRunning()) {
            saveLogs("service", service.getLogs());
            // Let a non-root host user delete what the container's user wrote into the temp root.
            service.execInContainer("chmod", "-R", "a+rwX", "/stores");
        }
        service.stop();
    }

    // ---------------------------------------------------------------- the image as deployed

    @Test
    void dockerReportsTheServiceHealthy() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        InspectContainerResponse container = docker.inspectContainerCmd(service.getContainerId()).exec();
        assertThat(container.getState().getHealth().getStatus()).isEqualTo("healthy");
        assertThat(docker.inspectImageCmd(service.getDockerImageName()).exec().getConfig().getHealthcheck().getTest())
                .containsExactly("CMD", "/app/healthcheck.sh");

        HttpResponse<String> health = HTTP.send(request("/actuator/health").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asString()).isEqualTo("UP");

        // ... and the check is not always true: nothing answers on port 1.
        ExecResult down = service.execInContainer("env", "MANAGEMENT_SERVER_PORT=1", "/app/healthcheck.sh");
        assertThat(down.getExitCode()).isNotZero();
    }

    @Test
    void runsAsNonRootUserThatOwnsOnlyTheStoreRoot() throws Exception {
        String status = service.execInContainer("cat", "/proc/1/status").getStdout();
        String uids = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertThat(uids.split("\\s+")).containsExactly("Uid:", "10001", "10001", "10001", "10001");

        String cmdline = service.execInContainer("cat", "/proc/1/cmdline").getStdout().replace('\0', ' ');
        assertThat(cmdline).startsWith("java ").contains("-XX:MaxRAMPercentage=60").contains("-jar /app/imgstore.jar");
        assertThat(service.execInContainer("sh", "-c", "echo $IMGSTORE_ROOT").getStdout().trim()).isEqualTo("/stores");

        assertThat(service.execInContainer("touch", "/app/imgstore.jar").getExitCode()).as("jar writable").isNotZero();
        assertThat(service.execInContainer("touch", "/stores/.write-probe").getExitCode()).isZero();
        Path probe = root.resolve(".write-probe");
        assertThat(probe).exists();
        assertThat(Files.getAttribute(probe, "unix:uid")).isEqualTo(ImgstoreImage.UID);
        Files.delete(probe);
    }

    @Test
    void heapIsAShareOfTheContainerMemoryLimit() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        assertThat(docker.inspectContainerCmd(service.getContainerId()).exec().getHostConfig().getMemory())
                .isEqualTo(MEMORY_LIMIT);

        // The running service: the sum of its heap pools' maxima (Serial GC: eden + one survivor + tenured).
        HttpResponse<String> metric = HTTP.send(request("/actuator/metrics/jvm.memory.max?tag=area:heap").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metric.statusCode()).isEqualTo(200);
        double heapMax = JSON.readTree(metric.body()).path("measurements").path(0).path("value").asDouble();
        LOG.info("jvm.memory.max(heap) = {} MiB of a {} MiB limit", heapMax / (1 << 20), MEMORY_LIMIT >> 20);
        assertThat(heapMax).isBetween(0.45 * MEMORY_LIMIT, HEAP_SHARE * MEMORY_LIMIT);

        // The exact ergonomic choice of a JVM started with the image's JAVA_OPTS in the same container
        // (without container awareness it would be a quarter of the host's memory).
        ExecResult flags = service.execInContainer("sh", "-c", "java $JAVA_OPTS -XX:+PrintFlagsFinal -version");
        long maxHeapSize = flags.getStdout().lines()
                .filter(l -> l.contains(" MaxHeapSize "))
                .map(l -> Long.parseLong(l.split("=")[1].trim().split("\\s+")[0]))
                .findFirst().orElseThrow(() -> new AssertionError("no MaxHeapSize in " + flags));
        assertThat((double) maxHeapSize).isCloseTo(HEAP_SHARE * MEMORY_LIMIT,
                org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void cliCommandsRunThroughDockerRun() throws Exception {
        try (GenericContainer<?> cli = new GenericContainer<>(ImgstoreImage.get())
                .withCommand("--version")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))) {
            cli.start(); // fails unless the container exits with 0
            assertThat(cli.getLogs()).contains("imgstore-java 0.1.0");
        }
        if (fixtures == null) {
            return;
        }
        // `docker run -v stores:/stores:ro IMAGE info /stores/STORE`, as the README shows.
        long frameCount = -1;
        for (JsonNode m : JSON.readTree(fixtures.resolve("manifest.json").toFile())) {
            if (m.path("path").asString().equals("08_pgm_contiguous")) {
                frameCount = m.path("frame_count").asLong();
            }
        }
        try (GenericContainer<?> info = new GenericContainer<>(ImgstoreImage.get())
                .withFileSystemBind(fixtures.toString(), "/stores", BindMode.READ_ONLY)
                .withCommand("info", "/stores/08_pgm_contiguous")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))) {
            info.start();
            assertThat(info.getLogs()).containsPattern("frame_count:\\s+" + frameCount + "\\b").contains("pgm");
        }
    }

    /**
     * `docker run IMAGE test`: the CLI's self-test writes and reads back every format (FFmpeg and
     * OpenCV natives included, unpacked by JavaCPP into the non-root user's home) within the limit.
     */
    @Test
    void everyFormatWritesAndReadsBackInTheImage() {
        try (GenericContainer<?> selfTest = new GenericContainer<>(ImgstoreImage.get())
                .withCommand("test")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMemory(MEMORY_LIMIT).withMemorySwap(MEMORY_LIMIT))
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(3)))) {
            try {
                selfTest.start(); // fails unless the container exits with 0
            } finally {
                saveLogs("self-test", selfTest.getLogs());
            }
            assertThat(selfTest.getLogs()).contains("all formats OK").contains("avc1/mp4");
        }
    }

    @Test
    void stopsGracefullyOnDockerStopWhileARigStreams() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        try (GenericContainer<?> c = new GenericContainer<>(ImgstoreImage.get())
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/actuator/health").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)))) {
            c.start();
            String base = "http://" + c.getHost() + ":" + c.getMappedPort(8080);
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stores"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"stop/rig\", \"format\": \"npy\", \"imgshape\": ["
                            + INGEST_HEIGHT + ", " + INGEST_WIDTH + "]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = JSON.readTree(created.body()).path("id").asString();

            // a rig streaming frames at 50 fps on one chunked POST that never ends by itself
            StringBuilder answer = new StringBuilder();
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            Thread rig = new Thread(() -> {
                try (java.net.Socket socket = new java.net.Socket(c.getHost(), c.getMappedPort(8080))) {
                    java.io.OutputStream out = socket.getOutputStream();
                    Thread reader = new Thread(() -> {
                        try {
                            String a = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                            synchronized (answer) {
                                answer.append(a);
                            }
                        } catch (IOException ignored) {
                            // reset
                        }
                    });
                    reader.start();
                    out.write(("POST /stores/" + segment(id) + "/frames HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                            + "application/x-imgstore-frames\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    try {
                        for (long n = 0; reader.isAlive(); n++) {
                            byte[] rec = record(n, n / 50.0);
                            out.write((Integer.toHexString(rec.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(rec);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            sent.incrementAndGet();
                            Thread.sleep(20);
                        }
                    } catch (IOException e) {
                        // the server answered and closed
                    }
                    reader.join(30_000);
                } catch (IOException | InterruptedException e) {
                    // gone
                }
            }, "docker-stop-rig");
            rig.start();
            while (sent.get() < 100) {
                Thread.sleep(50);
            }

            long started = System.nanoTime();
            docker.stopContainerCmd(c.getContainerId()).withTimeout(45).exec();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Long exit = docker.inspectContainerCmd(c.getContainerId()).exec().getState().getExitCodeLong();
            rig.join(30_000);
            String logs = c.getLogs();
            saveLogs("docker-stop", logs);
            LOG.info("docker stop while a rig streams took {} ms, exit code {}", millis, exit);
            // java is PID 1 (exec in the entry point): SIGTERM reaches it; the stream is ended at once
            // (IngestShutdown), so the stop takes seconds, far from the 45 s grace period and SIGKILL (137)
            assertThat(exit).isEqualTo(143L);
            assertThat(millis).isLessThan(10_000);
            String a;
            synchronized (answer) {
                a = answer.toString();
            }
            assertThat(a).startsWith("HTTP/1.1 503").contains("/problems/shutting-down").contains("frames_accepted");
            assertThat(logs).contains("ended 1 ingest stream(s) for shutdown").contains("closed 1 open store(s) at shutdown");
        }
    }

    // ---------------------------------------------------------------- the HTTP API, as a client uses it

    @Test
    void servesTheFixtureStoresFromAReadOnlyMount() throws Exception {
        assumeTrue(fixtures != null, "../shared/fixtures/generated is absent");
        JsonNode manifest = JSON.readTree(fixtures.resolve("manifest.json").toFile());
        HttpResponse<byte[]> listing = get("/stores");
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        JsonNode stores = JSON.readTree(listing.body());
        assertThat(stores.isArray()).isTrue();

        SoftAssertions softly = new SoftAssertions();
        for (JsonNode expected : manifest) {
            String path = expected.path("path").asString();
            JsonNode entry = null;
            for (JsonNode s : stores) {
                String p = s.path("path").asString();
                if (p.equals("fixtures/" + path) || p.endsWith("/fixtures/" + path)) {
                    entry = s;
                }
            }
            softly.assertThat(entry).as("GET /stores lists %s", path).isNotNull();
            if (entry == null) {
                continue;
            }
            softly.assertThat(entry.path("class").asString()).as("%s class", path).isEqualTo(expected.path("class").asString());
            softly.assertThat(entry.path("format").asString()).as("%s format", path)
                    .isEqualTo(expected.path("format").asString().replace("+color", ""));
            String store = "/stores/" + segment(entry.path("id").asString());

            HttpResponse<byte[]> summary = get(store);
            softly.assertThat(summary.statusCode()).as("GET %s", store).isEqualTo(200);
            if (summary.statusCode() == 200) {
                softly.assertThat(JSON.readTree(summary.body()).path("frame_count").asLong())
                        .as("%s frame_count", path).isEqualTo(expected.path("frame_count").asLong());
            }
            JsonNode frames = expected.path("frames");
            Colour colour = expected.path("image_shape").size() < 3 ? Colour.GRAY
                    : expected.path("encoding").asString("").isEmpty() ? Colour.BGR : Colour.DEMOSAICED;
            for (int index : new int[] {0, frames.size() / 2, frames.size() - 1}) {
                long number = frames.path(index).path(1).asLong();
                checkFrame(softly, store, number, colour, path);
            }
        }
        softly.assertThat(get("/stores/no-such-store").statusCode()).isEqualTo(404);
        softly.assertAll();
    }

    /**
     * The memory probes of the security suite, against the image with its default JVM options (heap a share of
     * the limit, {@code -XX:+ExitOnOutOfMemoryError}): none may cost the container its life.
     */
    @Test
    void survivesTheMemoryProbes() throws Exception {
        HttpResponse<String> huge = HTTP.send(request("/stores").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"probe/huge\", \"format\": \"npy\", "
                        + "\"imgshape\": [16384, 16384, 3], \"imgdtype\": \"uint16\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
        assertAlive();

        String store = "/stores/" + segment(createStore("probe/claims-" + UUID.randomUUID().toString().substring(0, 8)));
        byte[] header = "{\"frame_number\": 1, \"frame_time\": 1.0, \"payload_length\": 1099511627776}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] claim = ByteBuffer.allocate(4 + header.length).putInt(header.length).put(header).array();
        HttpResponse<String> claimed = HTTP.send(request(store + "/frames")
                .header("Content-Type", "application/x-imgstore-frames")
                .POST(HttpRequest.BodyPublishers.ofByteArray(claim)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(400);
        assertAlive();

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        HostileFiles.writeTinyNpyStore(root.resolve("probe/tiny-" + suffix));
        HostileFiles.writeZipBombStore(root.resolve("probe/bomb-" + suffix), 400L * 1024 * 1024);
        for (String id : List.of("probe~tiny-" + suffix, "probe~bomb-" + suffix)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> frame = get("/stores/" + id + "/frames/0");
                assertThat(frame.statusCode()).as(id).isBetween(400, 599);
                assertThat(frame.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
                assertAlive();
            }
        }
    }

    private static void assertAlive() throws Exception {
        assertThat(service.isRunning()).as("container still running").isTrue();
        HttpResponse<String> health = HTTP.send(request("/actuator/health").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    }

    @Test
    void ingestsFramesOverHttpIntoTheMountedRoot() throws Exception {
        String path = "ingest/http-" + UUID.randomUUID().toString().substring(0, 8);
        String store = "/stores/" + segment(createStore(path));
        List<Long> numbers = List.of(1000L, 1001L, 1002L, 1003L, 1004L, 1005L, 1006L, 1007L, 1008L, 1009L, 1010L, 65537L);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < numbers.size(); i++) {
            body.write(record(numbers.get(i), 1_700_000_000.0 + i / 30.0));
        }
        HttpResponse<String> sent = HTTP.send(request(store + "/frames")
                .header("Content-Type", "application/x-imgstore-frames")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 299);
        closeAndCheck(store, path, numbers);
    }

    @Test
    void ingestsFramesOverWebSocket() throws Exception {
        String path = "ingest/ws-" + UUID.randomUUID().toString().substring(0, 8);
        String store = "/stores/" + segment(createStore(path));
        URI uri = URI.create("ws://" + service.getHost() + ":" + service.getMappedPort(8080) + store + "/ingest");
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(uri, new TextCollector(answers))
                .get(30, TimeUnit.SECONDS);
        List<Long> numbers = List.of(7L, 8L, 9L, 10L, 11L, 12L, 13L);
        for (int i = 0; i < numbers.size(); i++) {
            ws.sendBinary(ByteBuffer.wrap(record(numbers.get(i), 1_700_000_000.0 + i / 30.0)), true)
                    .get(30, TimeUnit.SECONDS);
        }
        // Text {"close": true} closes the store after every frame sent before it; the server answers
        // {"frames_written": n} per frame, then {"closed": true, "frame_count": n}.
        ws.sendText("{\"close\": true}", true).get(30, TimeUnit.SECONDS);
        JsonNode closed = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (closed == null && System.nanoTime() < deadline) {
            String answer = answers.poll(1, TimeUnit.SECONDS);
            if (answer != null && JSON.readTree(answer).path("closed").asBoolean(false)) {
                closed = JSON.readTree(answer);
            }
        }
        assertThat(closed).as("{\"closed\": true} answer; got %s", answers).isNotNull();
        assertThat(closed.path("frame_count").asLong()).isEqualTo(numbers.size());
        // The server may already have closed the connection after closing the store.
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").handle((r, e) -> null).get(30, TimeUnit.SECONDS);
        closeAndCheck(store, path, numbers); // POST close of a closed store: idempotent
    }

    // ---------------------------------------------------------------- helpers

    /** Collects the server's text messages (each possibly in parts). */
    private static final class TextCollector implements WebSocket.Listener {
        private final BlockingQueue<String> answers;
        private final StringBuilder part = new StringBuilder();

        TextCollector(BlockingQueue<String> answers) {
            this.answers = answers;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                answers.add(part.toString());
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    private static String createStore(String path) throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("path", path);
        spec.put("format", "png");
        spec.put("imgshape", List.of(INGEST_HEIGHT, INGEST_WIDTH));
        spec.put("imgdtype", "uint8");
        spec.put("chunksize", 5);
        HttpResponse<String> created = HTTP.send(request("/stores")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(spec))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asString();
        assertThat(id).isNotBlank();
        return id;
    }

    /** One record of application/x-imgstore-frames: int32 BE header length, JSON header (with payload_length), raw pixels. */
    private static byte[] record(long frameNumber, double frameTime) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("frame_number", frameNumber);
        header.put("frame_time", frameTime);
        byte[] pixels = Barcode.grayPixels(frameNumber, INGEST_HEIGHT, INGEST_WIDTH);
        header.put("payload_length", pixels.length); // required for raw records
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(json.length);
            out.write(json);
            out.write(pixels);
        }
        return bytes.toByteArray();
    }

    private static void closeAndCheck(String store, String path, List<Long> numbers) throws Exception {
        HttpResponse<String> closed = HTTP.send(request(store + "/close").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(closed.statusCode()).as(closed.body()).isBetween(200, 299);

        HttpResponse<byte[]> summary = get(store);
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(summary.body()).path("frame_count").asLong()).isEqualTo(numbers.size());
        SoftAssertions softly = new SoftAssertions();
        for (long number : numbers) {
            checkFrame(softly, store, number, Colour.GRAY, path);
        }
        softly.assertAll();

        // Written through the container's volume, as the container's user, in imgstore's layout.
        Path metadata = root.resolve(path).resolve("metadata.yaml");
        assertThat(metadata).exists();
        assertThat(Files.getAttribute(metadata, "unix:uid")).isEqualTo(ImgstoreImage.UID);
        assertThat(Files.readString(metadata)).contains("format: png");
    }

    /** How a frame carries its barcode. */
    enum Colour {
        GRAY,
        /** B and G carry the bands, R their inverse (imgstore's BGR colour fixtures). */
        BGR,
        /** Raw Bayer stores (encoding cv_bayerbg) are mosaics of a gray barcode: every channel carries the bands. */
        DEMOSAICED
    }

    private static void checkFrame(SoftAssertions softly, String store, long number, Colour colour, String what)
            throws Exception {
        String uri = store + "/frames/" + number;
        HttpResponse<byte[]> frame = get(uri);
        softly.assertThat(frame.statusCode()).as("GET %s (%s)", uri, what).isEqualTo(200);
        if (frame.statusCode() != 200) {
            return;
        }
        softly.assertThat(frame.headers().firstValue("Content-Type")).as("%s type", uri).hasValue("image/png");
        softly.assertThat(frame.headers().firstValue("X-Frame-Number")).as("%s X-Frame-Number", uri).hasValue(Long.toString(number));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.body()));
        softly.assertThat(image).as("%s decodes as PNG", uri).isNotNull();
        if (image == null) {
            return;
        }
        int expected = Barcode.expected(number);
        if (colour != Colour.GRAY) {
            softly.assertThat(image.getRaster().getNumBands()).as("%s channels", uri).isGreaterThanOrEqualTo(3);
            if (image.getRaster().getNumBands() >= 3) {
                // PNG is RGB: B and G carry the bands, R their inverse (a B/R swap shows here).
                softly.assertThat(Barcode.decode(image, 1)).as("%s G barcode", uri).isEqualTo(expected);
                softly.assertThat(Barcode.decode(image, 2)).as("%s B barcode", uri).isEqualTo(expected);
                softly.assertThat(Barcode.decode(image, 0)).as("%s R barcode", uri)
                        .isEqualTo(colour == Colour.BGR ? ~expected & 0xFFFF : expected);
            }
        } else {
            softly.assertThat(Barcode.decode(image, 0)).as("%s barcode", uri).isEqualTo(expected);
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + service.getHost() + ":" + service.getMappedPort(8080) + path))
                .timeout(Duration.ofSeconds(60));
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Copies the generated fixture stores (never written to: they are shared) into a world-readable temp dir. */
    private static Path copyFixtures(Path target) throws IOException {
        Path source = Path.of(System.getProperty("imgstore.fixtures", "../shared/fixtures")).resolve("generated");
        if (!Files.isDirectory(source)) {
            LOG.warn("{} is absent: the fixture read test will be skipped", source);
            return null;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(source)) {
            all = new ArrayList<>(walk.toList());
        }
        for (Path p : all) {
            Path to = target.resolve(source.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(to);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
                Files.copy(p, to);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        return target;
    }

    private static void saveLogs(String name, String logs) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "container-it"));
            Files.writeString(dir.resolve(name + ".log"), logs);
        } catch (IOException e) {
            LOG.warn("could not save {} logs: {}", name, e.toString());
        }
    }
}
