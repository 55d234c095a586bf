package io.imgstore.testing;

import io.imgstore.format.storage.s3.S3Clients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy 2.6.0 (org.gaul:s3proxy) on a free loopback port, with the
 * {@code filesystem-nio2} jclouds backend in a temporary folder, fresh random credentials, and
 * path-style buckets.
 *
 * <p>It runs as its own JVM from its published {@code jar-with-dependencies}, which the build copies
 * to {@code target/s3proxy/s3proxy.jar} (system property {@code imgstore.s3proxy.jar}; else the
 * local Maven repository): in-process it would put Jetty 11, jclouds, Guava and logback next to
 * Spring Boot's Jetty 12 and logging. Without the jar the calling test is skipped, except with
 * {@code CI=true} ({@link Ci}), where it fails. {@link #close()} kills the process (and a JVM
 * shutdown hook does, if a test run dies first) and deletes the folder.
 */
public final class S3Proxies implements AutoCloseable {

    public static final String VERSION = "2.6.0";
    public static final String REGION = "us-east-1";

    private final Process process;
    private final Path dir;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final Thread hook;

    private S3Proxies(Process process, Path dir, URI endpoint, String accessKey, String secretKey) {
        this.process = process;
        this.dir = dir;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.hook = new Thread(() -> {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delete(dir);
        }, "s3proxy-kill");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The S3Proxy jar, or a skipped (locally) / failed (CI) test when it is missing. */
    public static Path jar() {
        String p = System.getProperty("imgstore.s3proxy.jar");
        Path jar = p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".m2", "repository", "org",
                "gaul", "s3proxy", VERSION, "s3proxy-" + VERSION + "-jar-with-dependencies.jar");
        Ci.require(Files.isRegularFile(jar), "CI=true but the S3Proxy jar is missing at " + jar
                + " (./mvnw process-test-classes copies it)", "S3Proxy jar not found at " + jar + "; skipping");
        return jar;
    }

    private static S3Proxies shared;

    /**
     * One server for the whole test JVM, started on first use and killed when the JVM exits (tests
     * use their own buckets on it).
     */
    public static synchronized S3Proxies shared() throws IOException {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
        }
        return shared;
    }

    /** Starts a server (waits until it accepts connections; a few seconds). */
    public static S3Proxies start() throws IOException {
        Path jar = jar();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return start(jar);
            } catch (IOException e) {
                last = e; // most likely the port was taken between choosing and binding it
            }
        }
        throw last;
    }

    private static S3Proxies start(Path jar) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("s3proxy");
        Path data = Files.createDirectories(dir.resolve("data"));
        String access = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + access,
                "s3proxy.credential=" + secret,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data,
                "jclouds.identity=" + access,
                "jclouds.credential=" + secret,
                ""), StandardCharsets.UTF_8);
        Path log = dir.resolve("s3proxy.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "--properties", props.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String out = Files.readString(log);
                delete(dir);
                throw new IOException("S3Proxy exited with " + p.exitValue() + ": "
                        + out.substring(Math.max(0, out.length() - 2000)));
            }
            if (Files.readString(log).contains("Started Server") && accepts(port)) {
                return new S3Proxies(p, dir, endpoint, access, secret);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        p.destroyForcibly();
        delete(dir);
        throw new IOException("S3Proxy did not start within 90 s on port " + port);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** A new path-style client for this server (the caller closes it). */
    public S3Client client() {
        return S3Clients.forEndpoint(endpoint, REGION, accessKey, secretKey, true);
    }

    /**
     * The system properties the SDK's standard chain (and {@link S3Clients}) read that
     * {@link #setSdkProperties} and {@link #setSdkCredentials} set: the twins of
     * {@code AWS_ENDPOINT_URL_S3}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY} and {@code IMGSTORE_S3_PATH_STYLE_ACCESS}.
     */
    public static final List<String> SDK_PROPERTIES = List.of("aws.endpointUrlS3", "aws.region", "aws.accessKeyId",
            "aws.secretAccessKey", S3Clients.PATH_STYLE_PROPERTY);

    /**
     * Points code that builds its client from the environment (the CLI) at this server through
     * system properties: its endpoint, its credentials, path-style access and, with
     * {@code region}, {@link #REGION} (without it the code's own fallback region applies). Undo with
     * {@link #clearSdkProperties()}.
     */
    public void setSdkProperties(boolean region) {
        System.setProperty("aws.endpointUrlS3", endpoint.toString());
        if (region) {
            System.setProperty("aws.region", REGION);
        }
        setSdkCredentials();
        System.setProperty(S3Clients.PATH_STYLE_PROPERTY, "true");
    }

    /** This server's credentials only, for the SDK's standard chain. Undo with {@link #clearSdkProperties()}. */
    public void setSdkCredentials() {
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", secretKey);
    }

    /** Clears every one of {@link #SDK_PROPERTIES}. */
    public static void clearSdkProperties() {
        SDK_PROPERTIES.forEach(System::clearProperty);
    }

    /** Creates a bucket and returns its name. */
    public String createBucket(String name) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(name));
        }
        return name;
    }

    /** The server's log so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("s3proxy.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }
}
