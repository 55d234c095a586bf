package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.imgstore.format.storage.s3.S3Uploads.PutResult;
import io.imgstore.testing.S3Proxies;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link S3Uploads} against S3Proxy; what it wrote is read back through {@link S3StoreFiles}. */
class S3UploadsTest {

    private static final String BUCKET = "uploads-test";
    private static S3Client client;
    private static S3Location location;

    @BeforeAll
    static void bucket() throws Exception {
        S3Proxies s3 = S3Proxies.shared();
        client = s3.client();
        s3.createBucket(BUCKET);
        location = S3Location.parse("s3://" + BUCKET + "/stores");
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static S3StoreFiles files() {
        return new S3StoreFiles(client, location, S3StoreFiles.Options.defaults().withMetadataTtl(java.time.Duration.ZERO));
    }

    @Test
    void putsSmallFilesInOnePutAndLargeOnesInParts(@TempDir Path tmp) throws Exception {
        byte[] small = new byte[100_000];
        byte[] large = new byte[(int) (2.4 * S3Uploads.MIN_PART_SIZE)];
        new Random(1).nextBytes(small);
        new Random(2).nextBytes(large);
        Path smallFile = Files.write(tmp.resolve("small"), small);
        Path largeFile = Files.write(tmp.resolve("large"), large);
        S3Uploads up = new S3Uploads(client, location, S3Uploads.MIN_PART_SIZE, S3Uploads.MIN_PART_SIZE);

        assertThat(up.putFile("s/000000.mp4", smallFile)).isEqualTo(1);
        assertThat(up.putFile("s/000001.mp4", largeFile)).isEqualTo(3);

        S3StoreFiles f = files();
        assertThat(f.read(f.anchor().resolve("s/000000.mp4"))).isEqualTo(small);
        assertThat(f.read(f.anchor().resolve("s/000001.mp4"))).isEqualTo(large);
        // no multipart upload left behind
        assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();

        assertThatThrownBy(() -> up.putFile("s/x", tmp.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> up.putFile("../escape", smallFile)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void putBytesAndDelete() throws Exception {
        S3Uploads up = new S3Uploads(client, location);
        up.putBytes("d/metadata.yaml", "a: 1\n".getBytes(StandardCharsets.UTF_8));
        S3StoreFiles f = files();
        Path p = f.anchor().resolve("d/metadata.yaml");
        assertThat(f.readString(p)).isEqualTo("a: 1\n");
        up.putBytes("d/metadata.yaml", "a: 2\n".getBytes(StandardCharsets.UTF_8));
        assertThat(f.readString(p)).isEqualTo("a: 2\n");
        up.delete("d/metadata.yaml");
        assertThat(f.exists(p)).isFalse();
        up.delete("d/metadata.yaml"); // absent: no error, as S3
    }

    /**
     * S3Proxy 2.6.0 does not implement conditional PUTs (gaul/s3proxy#627: If-None-Match is only
     * honoured on GET and copy): the second put overwrites. This records the limitation, so that
     * leases are not tested against S3Proxy, and fails once an S3Proxy update implements it (then
     * {@link #conditionalPutOnlyCreates} can run against it instead of the stub).
     */
    @Test
    void s3proxyIgnoresIfNoneMatchOnPut() throws Exception {
        S3Uploads up = new S3Uploads(client, location);
        byte[] first = "owner=a\n".getBytes(StandardCharsets.UTF_8);
        byte[] second = "owner=b\n".getBytes(StandardCharsets.UTF_8);
        assertThat(up.putIfAbsent("lease/.lease", first)).isEqualTo(PutResult.CREATED);
        assertThat(up.putIfAbsent("lease/.lease", second)).isEqualTo(PutResult.CREATED);
        S3StoreFiles f = files();
        assertThat(f.read(f.anchor().resolve("lease/.lease"))).isEqualTo(second);
    }

    /**
     * The conditional put against a stub that answers as AWS S3 does: the request carries
     * {@code If-None-Match: *}, and 412 Precondition Failed is reported as ALREADY_EXISTS.
     */
    @Test
    void conditionalPutOnlyCreates() throws Exception {
        Map<String, byte[]> objects = new ConcurrentHashMap<>();
        List<String> conditions = new CopyOnWriteArrayList<>();
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            String condition = ex.getRequestHeaders().getFirst("If-None-Match");
            conditions.add(String.valueOf(condition));
            if (!ex.getRequestMethod().equals("PUT")) {
                ex.sendResponseHeaders(405, -1);
            } else if ("*".equals(condition) && objects.containsKey(path)) {
                byte[] err = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code>"
                        + "<Message>At least one of the pre-conditions you specified did not hold</Message>"
                        + "<Condition>If-None-Match</Condition></Error>").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/xml");
                ex.sendResponseHeaders(412, err.length);
                ex.getResponseBody().write(err);
            } else {
                objects.put(path, body);
                ex.getResponseHeaders().add("ETag", "\"" + Integer.toHexString(Arrays.hashCode(body)) + "\"");
                ex.sendResponseHeaders(200, -1);
            }
            ex.close();
        });
        stub.start();
        try (S3Client c = S3Clients.forEndpoint(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()),
                "us-east-1", "id", "secret", true)) {
            S3Uploads up = new S3Uploads(c, S3Location.parse("s3://leases/stores"));
            byte[] first = "owner=a\n".getBytes(StandardCharsets.UTF_8);
            assertThat(up.putIfAbsent("s/.lease", first)).isEqualTo(PutResult.CREATED);
            assertThat(up.putIfAbsent("s/.lease", "owner=b\n".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(PutResult.ALREADY_EXISTS);
            // over plain HTTP the SDK sends the body aws-chunked (signed chunks): the first owner's bytes stay
            assertThat(new String(objects.get("/leases/stores/s/.lease"), StandardCharsets.UTF_8))
                    .contains("owner=a\n").doesNotContain("owner=b");
            assertThat(conditions).containsExactly("*", "*");
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void refusesBadPartSizes() {
        assertThatThrownBy(() -> new S3Uploads(client, location, 1 << 20, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3Uploads(client, location, S3Uploads.MIN_PART_SIZE, 2 * S3Uploads.MIN_PART_SIZE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
