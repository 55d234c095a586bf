package io.imgstore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Volume;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.NginxCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.lifecycle.Startables;
import tools.jackson.databind.ObjectMapper;

/**
 * The compose profile {@code cluster} on the real engine: the services, environment, shared volume, health
 * checks and start order are read from docker/compose.yaml ({@link ComposeFile}) and run with Testcontainers
 * (Debian's packages have no {@code docker compose} plugin; the v1 {@code docker-compose} does not run in
 * CI): three containers of the service image over one named volume, and the nginx image built from
 * deploy/nginx/Dockerfile on the same base, routing by store id with {@code hash ... consistent}.
 *
 * <p>Through nginx only: a store's create, ingest, close and reads all reach one replica
 * ({@code X-Imgstore-Replica}); different stores spread over more than one replica; {@code docker kill}
 * of the replica writing a store leaves the reads of other stores and of that store's finished chunks to
 * the others, and after its lease (3 s here) expired the store is continued elsewhere with nothing
 * accepted lost. Every frame is checked by its barcode. Skipped without a Docker engine; failed in CI
 * by .ci/check-container-its.sh then.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterContainerIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterContainerIT.class);

    /**
     * The compose file's settings this test changes: a short lease so that the takeover is quick, less
     * memory, and the compose default JAVA_OPTS plus C1 only (three Spring Boot starts at once on a
     * shared 2-core machine: C2 compiling during start-up costs more than it gains in a short test).
     */
    static final Map<String, String> SETTINGS = Map.of("IMGSTORE_LEASE_TTL", "3s", "IMGSTORE_MEMORY", "768m",
            "JAVA_OPTS", "-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1");
    static final int H = 48;
    static final int W = 160;
    static final int CHUNK = 5;
    static final String FRAMES = "application/x-imgstore-frames";

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static ComposeFile compose;
    static Network network;
    static String volume;
    /** Replica service name -> its container, in the compose file's order. */
    static final Map<String, GenericContainer<?>> replicas = new LinkedHashMap<>();
    /** nginx's upstream address (ip:8080) -> replica service name. */
    static final Map<String, String> addresses = new LinkedHashMap<>();
    static GenericContainer<?> nginx;
    static String nginxService;

    @BeforeAll
    static void startCluster() throws Exception {
        compose = ComposeFile.load(ImgstoreImage.projectDir().resolve("docker/compose.yaml"), SETTINGS);
        ClusterProfile profile = ClusterProfile.of(compose);
        List<String> replicaServices = profile.replicas();
        nginxService = profile.nginx();
        String target = profile.target();
        Map<String, String> nginxEnv = compose.environment(nginxService);

        DockerClient docker = DockerClientFactory.instance().client();
        network = Network.newNetwork();
        volume = "imgstore-cluster-it-" + Long.toHexString(System.nanoTime());
        docker.createVolumeCmd().withName(volume).exec();

        // nginx's image (mostly apt-get of Debian's nginx) builds while the replicas start: it is needed after them
        long building = System.nanoTime();
        CompletableFuture<String> nginxImage = CompletableFuture.supplyAsync(() -> ImgstoreImage.nginx().get());
        ImgstoreImage.get().get();
        LOG.info("service image built in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - building));

        for (String service : replicaServices) {
            GenericContainer<?> replica = new GenericContainer<>(ImgstoreImage.get())
                    .withNetwork(network)
                    .withNetworkAliases(service)
                    .withEnv(compose.environment(service))
                    .withCreateContainerCmdModifier(cmd -> {
                        harden(cmd.getHostConfig(), service);
                        long memory = bytes(compose.interpolate(String.valueOf(compose.service(service).get("mem_limit"))));
                        cmd.getHostConfig().withMemory(memory).withMemorySwap(memory)
                                .withBinds(new Bind(volume, new Volume(target)));
                        cmd.withHealthcheck(healthcheck(service));
                    })
                    .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
            replicas.put(service, replica);
        }
        long started = System.nanoTime();
        Startables.deepStart(replicas.values()).get(4, TimeUnit.MINUTES);
        LOG.info("{} replicas healthy {} ms after their start", replicas.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        for (Map.Entry<String, GenericContainer<?>> e : replicas.entrySet()) {
            addresses.put(ipOf(e.getValue()) + ":8080", e.getKey());
        }
        nginxImage.get(2, TimeUnit.MINUTES);

        nginx = new GenericContainer<>(ImgstoreImage.nginx())
                .withNetwork(network)
                .withNetworkAliases(nginxService)
                .withEnv(nginxEnv)
                .withExposedPorts(Integer.parseInt(nginxEnv.get("NGINX_LISTEN")))
                .withCreateContainerCmdModifier(cmd -> {
                    harden(cmd.getHostConfig(), nginxService);
                    // the image's HEALTHCHECK, every second instead of every 10 s
                    cmd.withHealthcheck(new HealthCheck().withInterval(Duration.ofSeconds(1).toNanos()));
                })
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(1)));
        nginx.start();
        LOG.info("cluster up {} ms after the replicas' start; replicas {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), addresses);
    }

    @AfterAll
    static void stopCluster() {
        List<GenericContainer<?>> all = new ArrayList<>(replicas.values());
        if (nginx != null) {
            all.add(0, nginx);
        }
        for (GenericContainer<?> c : all) {
            try {
                String name = c == nginx ? nginxService : replicas.entrySet().stream()
                        .filter(e -> e.getValue() == c).findFirst().orElseThrow().getKey();
                if (c.getContainerId() != null) {
                    saveLogs("cluster-" + name, c.getLogs());
                }
                c.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping a container: {}", e.toString());
            }
        }
        if (network != null) {
            network.close();
        }
        if (volume != null) {
            try {
                DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
            } catch (RuntimeException e) {
                LOG.warn("could not remove volume {}: {}", volume, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    @Order(1)
    void nginxFrontAnswersHealthFromAReplica() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        assertThat(docker.inspectContainerCmd(nginx.getContainerId()).exec().getState().getHealth().getStatus())
                .isEqualTo("healthy");

        HttpResponse<String> health = HTTP.send(request("/actuator/health").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asString()).isEqualTo("UP");
        assertThat(addresses).containsKey(health.headers().firstValue("X-Imgstore-Replica").orElse(""));

        assertThat(HTTP.send(request("/nginx-health").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        // nginx runs as the image's non-root user, and its health check is not always true
        String status = nginx.execInContainer("cat", "/proc/1/status").getStdout();
        assertThat(status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+"))
                .containsExactly("Uid:", "10002", "10002", "10002", "10002");
        assertThat(nginx.execInContainer("env", "NGINX_LISTEN=1", "/etc/imgstore-nginx/healthcheck.sh").getExitCode())
                .isNotZero();
    }

    @Test
    @Order(2)
    void eachStoreIsCreatedWrittenAndReadOnOneReplicaAndStoresSpread() throws Exception {
        Map<String, String> owners = new LinkedHashMap<>();
        SoftAssertions softly = new SoftAssertions();
        for (int k = 0; k < 6; k++) {
            String path = "spread/s" + k;
            HttpResponse<String> created = create(path);
            String id = JSON.readTree(created.body()).path("id").asString();
            String owner = replica(created);
            owners.put(id, owner);
            // ingest in two requests, then close: all on the replica that created the store
            HttpResponse<String> first = push(id, 0, 7, 0L);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            HttpResponse<String> second = push(id, 7, 12, 7L);
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(JSON.readTree(second.body()).path("frame_count").asLong()).isEqualTo(12);
            HttpResponse<String> closed = post("/stores/" + id + "/close", new byte[0], null);
            assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
            softly.assertThat(List.of(replica(first), replica(second), replica(closed)))
                    .as("ingest and close of %s", id).containsOnly(owner);
            // reads: answered by the same replica, every frame exact
            HttpResponse<byte[]> summary = get("/stores/" + id);
            softly.assertThat(summary.statusCode()).isEqualTo(200);
            softly.assertThat(JSON.readTree(summary.body()).path("frame_count").asLong()).as("%s frame_count", id).isEqualTo(12);
            softly.assertThat(replica(summary)).as("summary of %s", id).isEqualTo(owner);
            for (long n = 0; n < 12; n++) {
                HttpResponse<byte[]> frame = checkFrame(softly, id, n);
                softly.assertThat(replica(frame)).as("frame %d of %s", n, id).isEqualTo(owner);
            }
        }
        softly.assertAll();
        LOG.info("store -> replica: {}", owners);
        assertThat(Set.copyOf(owners.values())).as("replicas of 6 stores").hasSizeGreaterThan(1);
    }

    @Test
    @Order(3)
    void killingTheReplicaOfAStoreLeavesItsReadsAndTheOtherStoresToTheOthers() throws Exception {
        // a store being written: chunks 0 and 1 finished (frames 0-9), chunk 2 open (frames 10, 11)
        HttpResponse<String> created = create("kill/victim");
        String victim = JSON.readTree(created.body()).path("id").asString();
        String owner = replica(created);
        HttpResponse<String> pushed = push(victim, 0, 12, 0L);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        assertThat(replica(pushed)).isEqualTo(owner);

        // closed stores of the other replicas (found by the replica a 404 of their id comes from)
        List<String> others = new ArrayList<>();
        Set<String> otherReplicas = new LinkedHashSet<>();
        for (int k = 0; k < 100 && otherReplicas.size() < 2; k++) {
            HttpResponse<byte[]> probe = get("/stores/kill~other" + k);
            assertThat(probe.statusCode()).isEqualTo(404);
            if (!replica(probe).equals(owner) && otherReplicas.add(replica(probe))) {
                String id = JSON.readTree(create("kill/other" + k).body()).path("id").asString();
                assertThat(push(id, 0, 12, 0L).statusCode()).isEqualTo(200);
                assertThat(post("/stores/" + id + "/close", new byte[0], null).statusCode()).isEqualTo(200);
                others.add(id);
            }
        }
        assertThat(others).as("stores on the two other replicas").hasSize(2);

        // One writer per store across containers: another replica, asked directly (bypassing nginx), refuses
        // to write the store while its owner holds the lease in the shared volume.
        String other = replicas.keySet().stream().filter(s -> !s.equals(owner)).findFirst().orElseThrow();
        String direct = directEmptyPost(replicas.get(other), "/stores/" + victim + "/frames");
        assertThat(direct).as("empty POST to %s on %s while %s writes it", victim, other, owner)
                .startsWith("HTTP/1.1 409");

        DockerClientFactory.instance().client().killContainerCmd(replicas.get(owner).getContainerId()).exec();
        long killedAt = System.nanoTime();
        LOG.info("killed {} (store {})", owner, victim);

        SoftAssertions softly = new SoftAssertions();
        for (String id : others) {
            for (long n = 0; n < 12; n++) {
                HttpResponse<byte[]> frame = checkFrame(softly, id, n);
                softly.assertThat(replica(frame)).as("frame %d of %s after the kill", n, id).isNotEqualTo(owner);
            }
        }
        for (long n = 0; n < 2 * CHUNK; n++) {
            HttpResponse<byte[]> frame = checkFrame(softly, victim, n);
            softly.assertThat(replica(frame)).as("frame %d of %s after the kill", n, victim).isNotEqualTo(owner);
        }
        softly.assertAll();
        LOG.info("reads after the kill done in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));

        // writes: refused while the dead replica's lease is fresh, then the store continues on another
        // replica from its frame count (the rig's resync: an empty POST), nothing accepted lost
        long count = -1;
        int refused = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (count < 0 && System.nanoTime() < deadline) {
            HttpResponse<String> r = post("/stores/" + victim + "/frames", new byte[0], null);
            if (r.statusCode() == 200) {
                count = JSON.readTree(r.body()).path("frame_count").asLong();
                assertThat(replica(r)).isNotEqualTo(owner);
            } else {
                refused++;
                Thread.sleep(250);
            }
        }
        LOG.info("store {} continued {} ms after the kill at frame {} ({} refusals)", victim,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt), count, refused);
        assertThat(count).as("frame_count after the takeover").isBetween((long) 2 * CHUNK, 12L);
        HttpResponse<String> resumed = push(victim, count, 20, count);
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(post("/stores/" + victim + "/close", new byte[0], null).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> summary = get("/stores/" + victim);
        assertThat(JSON.readTree(summary.body()).path("frame_count").asLong()).isEqualTo(20);
        softly = new SoftAssertions();
        for (long n = 0; n < 20; n++) {
            checkFrame(softly, victim, n);
        }
        softly.assertAll();
    }

    // ---------------------------------------------------------------- helpers

    private static void harden(com.github.dockerjava.api.model.HostConfig host, String service) {
        assertThat(compose.list(service, "cap_drop")).containsExactly("ALL");
        host.withCapDrop(Capability.ALL).withSecurityOpts(compose.list(service, "security_opt"));
    }

    /** The compose file's health check command, polled every second. */
    @SuppressWarnings("unchecked")
    private static HealthCheck healthcheck(String service) {
        Map<String, Object> declared = (Map<String, Object>) compose.service(service).get("healthcheck");
        List<String> test = ((List<Object>) declared.get("test")).stream().map(String::valueOf).toList();
        return new HealthCheck().withTest(test).withInterval(Duration.ofSeconds(1).toNanos())
                .withTimeout(Duration.ofSeconds(5).toNanos()).withRetries(3);
    }

    /** The status line and body of an empty frames POST sent inside a replica's container to its own port (bash /dev/tcp). */
    private static String directEmptyPost(GenericContainer<?> replica, String path) throws Exception {
        String script = "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'POST %s HTTP/1.1\\r\\nHost: localhost\\r\\n"
                + "Content-Type: " + FRAMES + "\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n' \"$1\" >&3"
                + " && timeout 30 cat <&3";
        return replica.execInContainer("bash", "-c", script, "post", path).getStdout();
    }

    private static String ipOf(GenericContainer<?> c) {
        for (ContainerNetwork n : c.getContainerInfo().getNetworkSettings().getNetworks().values()) {
            if (network.getId().equals(n.getNetworkID())) {
                return n.getIpAddress();
            }
        }
        throw new IllegalStateException("container " + c.getContainerId() + " is not on the test network");
    }

    static long bytes(String size) {
        String s = size.trim().toLowerCase();
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    /**
     * The replica service that answered: the last address of X-Imgstore-Replica (nginx lists every
     * upstream it tried, "a, b" when a failed and b answered).
     */
    private static String replica(HttpResponse<?> r) {
        String header = r.headers().firstValue("X-Imgstore-Replica").orElseThrow(
                () -> new AssertionError("no X-Imgstore-Replica in " + r.headers().map()));
        String[] tried = header.split(",\\s*");
        String last = tried[tried.length - 1];
        String service = addresses.get(last);
        assertThat(service).as("replica of address %s (%s)", last, addresses).isNotNull();
        return service;
    }

    private static HttpResponse<String> create(String path) throws Exception {
        String spec = "{\"path\": \"" + path + "\", \"format\": \"png\", \"imgshape\": [" + H + ", " + W
                + "], \"imgdtype\": \"uint8\", \"chunksize\": " + CHUNK + "}";
        HttpResponse<String> created = HTTP.send(request("/stores").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(spec)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return created;
    }

    private static HttpResponse<String> push(String id, long from, long to, Long expected) throws Exception {
        return post("/stores/" + id + "/frames", NginxCluster.records(from, to, H, W), expected);
    }

    private static HttpResponse<String> post(String path, byte[] body, Long expectedCount) throws Exception {
        HttpRequest.Builder b = request(path).header("Content-Type", FRAMES)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (expectedCount != null) {
            b.header("X-Expected-Frame-Count", Long.toString(expectedCount));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> checkFrame(SoftAssertions softly, String id, long n) throws Exception {
        HttpResponse<byte[]> frame = get("/stores/" + id + "/frames/" + n);
        softly.assertThat(frame.statusCode()).as("frame %d of %s: %s", n, id, new String(frame.body())).isEqualTo(200);
        if (frame.statusCode() == 200) {
            softly.assertThat(Barcode.decode(ImageIO.read(new ByteArrayInputStream(frame.body())), 0))
                    .as("barcode of frame %d of %s", n, id).isEqualTo(Barcode.expected(n));
        }
        return frame;
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + nginx.getHost() + ":" + nginx.getFirstMappedPort() + path))
                .timeout(Duration.ofSeconds(60));
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
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
