package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.testing.S3Proxies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real environment variables ({@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL},
 * {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code IMGSTORE_S3_PATH_STYLE_ACCESS}) reach a client built by {@link S3Clients#fromEnvironment()}:
 * a child JVM with only these set (no profile: {@code HOME} points to an empty folder) reads an
 * object from S3Proxy.
 */
class S3EnvironmentConfigTest {

    private static S3Proxies s3;

    @BeforeAll
    static void object() throws IOException {
        s3 = S3Proxies.shared();
        s3.createBucket("env-test");
        try (S3Client c = s3.client()) {
            c.putObject(b -> b.bucket("env-test").key("p/hello.txt"),
                    RequestBody.fromString("from the environment", StandardCharsets.UTF_8));
        }
    }

    /** The child JVM: reads s3://env-test/p/hello.txt with a client from the environment. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (S3Client c = S3Clients.fromEnvironment()) {
                S3StoreFiles f = new S3StoreFiles(c, S3Location.parse("s3://env-test/p"));
                System.out.print("READ:" + f.readString(f.anchor().resolve("hello.txt")));
            }
        }
    }

    private String run(Map<String, String> env, Path home) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Duser.home=" + home, Probe.class.getName())).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("IMGSTORE_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void serviceSpecificAndGenericEndpointVariables(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        Map<String, String> common = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", s3.accessKey(),
                "AWS_SECRET_ACCESS_KEY", s3.secretKey(), "IMGSTORE_S3_PATH_STYLE_ACCESS", "true");
        for (String variable : List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")) {
            Map<String, String> env = new java.util.HashMap<>(common);
            env.put(variable, s3.endpoint().toString());
            assertThat(run(env, home)).as(variable).contains("READ:from the environment");
        }
        // without credentials the request is refused: the values above are what made it work
        Map<String, String> wrong = new java.util.HashMap<>(common);
        wrong.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        wrong.put("AWS_SECRET_ACCESS_KEY", "wrong");
        assertThat(run(wrong, home)).doesNotContain("READ:").contains("AccessDenied");
    }
}
