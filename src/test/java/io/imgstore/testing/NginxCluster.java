package io.imgstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Replicas of the packaged jar over one store root behind a real nginx (Debian's {@code /usr/sbin/nginx}),
 * configured by {@code deploy/nginx/render.sh} from the same template as the compose profile
 * {@code cluster}, all on free loopback ports: for {@code ClusterIT} and the cluster benchmark.
 */
public final class NginxCluster implements AutoCloseable {

    /** Debian's nginx. */
    public static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Path work;
    private final List<Process> replicas = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Process nginx;
    private int nginxPort;

    private NginxCluster(Path work) {
        this.work = work;
    }

    public static boolean nginxPresent() {
        return Files.isExecutable(NGINX);
    }

    /**
     * Starts {@code n} replicas on {@code root} (each with {@code appArgs} after {@code --imgstore.root}) and
     * nginx in front with {@code balance} ({@code hash} or {@code round-robin}); waits until all answer.
     */
    public static NginxCluster start(Path work, Path root, int n, String balance, List<String> jvmOptions,
                                     String... appArgs) throws Exception {
        NginxCluster c = new NginxCluster(work);
        try {
            c.startReplicas(root, n, jvmOptions, appArgs);
            c.startNginx(balance);
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    private void startReplicas(Path root, int n, List<String> jvmOptions, String... appArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--imgstore.root=" + root, "--imgstore.demo=false"));
        args.addAll(List.of(appArgs));
        for (int i = 0; i < n; i++) {
            ports.add(freePort());
        }
        // one after the other: JVM starts in parallel on a small, busy machine can exceed PackagedServer's 2 minutes
        for (int i = 0; i < n; i++) {
            replicas.add(PackagedServer.start(ports.get(i), work.resolve("replica-" + i + ".log"), jvmOptions,
                    args.toArray(String[]::new)));
        }
    }

    private void startNginx(String balance) throws Exception {
        nginxPort = freePort();
        Path state = Files.createDirectories(work.resolve("nginx"));
        StringBuilder upstreams = new StringBuilder();
        for (int p : ports) {
            upstreams.append("127.0.0.1:").append(p).append(' ');
        }
        Path conf = state.resolve("nginx.conf");
        ProcessBuilder render = new ProcessBuilder("bash", "deploy/nginx/render.sh")
                .redirectOutput(conf.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = render.environment();
        env.put("IMGSTORE_UPSTREAMS", upstreams.toString().strip());
        env.put("NGINX_LISTEN", "127.0.0.1:" + nginxPort);
        env.put("NGINX_BALANCE", balance);
        env.put("NGINX_STATE_DIR", state.toString());
        env.put("NGINX_ERROR_LOG", state.resolve("error.log").toString());
        env.put("NGINX_ACCESS_LOG", state.resolve("access.log").toString());
        if ("root".equals(System.getProperty("user.name"))) {
            env.put("NGINX_USER", "root"); // workers must reach the temp folders under the test's own
        }
        assertThat(render.start().waitFor()).as("render.sh").isZero();
        nginx = new ProcessBuilder(NGINX.toString(), "-p", state.toString(), "-c", conf.toString(), "-e",
                state.resolve("error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(state.resolve("stdout.log").toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(uri("/nginx-health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            assertThat(nginx.isAlive()).as("nginx died at start, see " + state.resolve("error.log")).isTrue();
            assertThat(System.nanoTime()).as("nginx up within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A path on nginx. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + nginxPort + path);
    }

    /** A path on replica {@code i} directly. */
    public URI replicaUri(int i, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(i) + path);
    }

    public int size() {
        return replicas.size();
    }

    /** The replica nginx named in {@code X-Imgstore-Replica} ({@code 127.0.0.1:PORT}, the last one tried), or -1. */
    public int replicaOf(String upstreamAddr) {
        if (upstreamAddr == null) {
            return -1;
        }
        String[] tried = upstreamAddr.split(",\\s*");
        String last = tried[tried.length - 1].strip();
        for (int i = 0; i < ports.size(); i++) {
            if (last.equals("127.0.0.1:" + ports.get(i))) {
                return i;
            }
        }
        return -1;
    }

    public Process replica(int i) {
        return replicas.get(i);
    }

    public Path log(int i) {
        return work.resolve("replica-" + i + ".log");
    }

    public Path nginxLog() {
        return work.resolve("nginx").resolve("error.log");
    }

    /** {@code kill -9} of replica {@code i}. */
    public void kill(int i) throws InterruptedException {
        Process p = replicas.get(i);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("replica " + i + " killed").isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        for (Process p : replicas) {
            p.destroy();
        }
        for (Process p : replicas) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    // ---- the ingest wire format (docs/ingest.md), for rigs in tests and benchmarks

    /** Frame records {@code from} until {@code to} (exclusive) of gray barcode frames, time = 1000 + n / 50. */
    public static byte[] records(long from, long to, int height, int width) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long n = from; n < to; n++) {
            byte[] pixels = Barcode.draw(n, height, width, 1, io.imgstore.format.PixelType.UINT8).data();
            byte[] header = ("{\"frame_number\": " + n + ", \"frame_time\": " + (1000 + n / 50.0)
                    + ", \"payload_length\": " + pixels.length + "}").getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(header.length).array());
            out.writeBytes(header);
            out.writeBytes(pixels);
        }
        return out.toByteArray();
    }
}
