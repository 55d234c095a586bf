package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3StoreFiles} against a server that misbehaves (a stub on loopback; S3Proxy is too well
 * behaved): hostile names in listings, listings that do not advance, a server that ignores
 * {@code Range}, and a huge {@code Content-Length}.
 */
class S3HostileServerTest {

    private HttpServer stub;
    private S3Client client;
    private Function<HttpExchange, Response> handler;
    private volatile long requests; // written by the stub's one thread

    private record Response(int status, Map<String, String> headers, byte[] body, long declaredLength) {
        static Response xml(String xml) {
            byte[] b = xml.getBytes(StandardCharsets.UTF_8);
            return new Response(200, Map.of("Content-Type", "application/xml"), b, b.length);
        }

        static Response error(int status, String code) {
            byte[] b = ("<Error><Code>" + code + "</Code><Message>no</Message></Error>").getBytes(StandardCharsets.UTF_8);
            return new Response(status, Map.of("Content-Type", "application/xml"), b, b.length);
        }
    }

    @BeforeEach
    void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", ex -> {
            requests++;
            ex.getRequestBody().readAllBytes();
            Response r = handler.apply(ex);
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.status(), head ? -1 : r.declaredLength());
            try {
                if (!head && r.body().length > 0) {
                    ex.getResponseBody().write(r.body());
                }
            } catch (IOException e) {
                // the client hung up (aborted a body it refused)
            }
            ex.close();
        });
        stub.start();
        client = S3Clients.forEndpoint(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()), "us-east-1",
                "id", "secret", true);
    }

    @AfterEach
    void stop() {
        client.close();
        stub.stop(0);
    }

    private S3StoreFiles files() {
        return new S3StoreFiles(client, S3Location.parse("s3://bucket/p"),
                S3StoreFiles.Options.defaults().withBlockSize(4096).withMaxReadBytes(1 << 20));
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int i = kv.indexOf('=');
                q.put(URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8),
                        i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static String listing(boolean truncated, String token, List<String> prefixes, List<String> keys) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket</Name>"
                + "<Prefix>p/</Prefix><KeyCount>" + (prefixes.size() + keys.size()) + "</KeyCount>"
                + "<MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>" + truncated + "</IsTruncated>");
        if (token != null) {
            b.append("<NextContinuationToken>").append(token).append("</NextContinuationToken>");
        }
        for (String k : keys) {
            b.append("<Contents><Key>").append(k).append("</Key><LastModified>2026-01-02T03:04:05.678Z</LastModified>"
                    + "<ETag>\"e\"</ETag><Size>7</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        for (String p : prefixes) {
            b.append("<CommonPrefixes><Prefix>").append(p).append("</Prefix></CommonPrefixes>");
        }
        return b.append("</ListBucketResult>").toString();
    }

    @Test
    void hostileNamesInAListingAreLeftOut() throws Exception {
        handler = ex -> Response.xml(listing(false, null,
                List.of("p/../", "p//", "p/./", "p/ok/", "elsewhere/"),
                List.of("p/..", "p/.", "p/a\\b", "p/q?x", "p/tab\u0009x", "p/fine.txt", "other/outside.txt",
                        "p/", "p/deep/er")));
        S3StoreFiles f = files();
        Path root = f.anchor();
        List<Path> listed = f.list(root);
        assertThat(listed).containsExactlyInAnyOrder(root.resolve("ok"), root.resolve("fine.txt"));
        for (Path p : listed) {
            assertThat(p.normalize()).isEqualTo(p);
            assertThat(p.startsWith(root)).isTrue();
        }
    }

    @Test
    void aListingThatDoesNotAdvanceIsRefused() {
        handler = ex -> Response.xml(listing(true, "same", List.of(), List.of("p/f" + requests)));
        S3StoreFiles f = files();
        assertThatThrownBy(() -> f.list(f.anchor())).isInstanceOf(IOException.class)
                .hasMessageContaining("does not advance");
        assertThat(requests).isEqualTo(2);

        handler = ex -> Response.xml(listing(true, "t" + requests, List.of(), List.of()));
        assertThatThrownBy(() -> f.list(f.anchor())).isInstanceOf(IOException.class)
                .hasMessageContaining("does not advance");
    }

    @Test
    void anEndlessListingStopsAtTheBound() {
        handler = ex -> Response.xml(listing(true, "t" + requests, List.of(), List.of("p/f" + requests)));
        S3StoreFiles f = new S3StoreFiles(client, S3Location.parse("s3://bucket/p"),
                S3StoreFiles.Options.defaults().withMaxListEntries(50));
        assertThatThrownBy(() -> f.list(f.anchor())).hasMessageContaining("more than 50 entries");
        assertThat(requests).isEqualTo(51);
    }

    @Test
    void aServerThatIgnoresRangeIsDetected() throws Exception {
        byte[] body = new byte[100_000];
        handler = ex -> ex.getRequestMethod().equals("HEAD")
                ? new Response(200, Map.of("ETag", "\"e\"", "Content-Length", "100000"), new byte[0], -1)
                : new Response(200, Map.of("ETag", "\"e\""), body, body.length);
        S3StoreFiles f = files();
        try (SeekableByteChannel ch = f.newChannel(f.anchor().resolve("chunk.mp4"))) {
            assertThat(ch.size()).isEqualTo(100_000);
            assertThatThrownBy(() -> ch.position(50_000).read(ByteBuffer.allocate(10)))
                    .isInstanceOf(IOException.class).hasMessageContaining("Range not honoured");
        }
        assertThat(f.stats().bytesFetched()).isZero();
    }

    @Test
    void aHugeContentLengthIsRefusedBeforeAllocating() {
        handler = ex -> new Response(200, Map.of("ETag", "\"e\""), new byte[0], 10L << 30);
        S3StoreFiles f = files();
        Path file = f.anchor().resolve("metadata.yaml");
        assertThatThrownBy(() -> f.read(file)).isInstanceOf(S3ObjectTooLargeException.class)
                .hasMessageContaining("10737418240 bytes");
        assertThatThrownBy(() -> f.newInputStream(file)).isInstanceOf(S3ObjectTooLargeException.class);
        assertThat(f.stats().bytesFetched()).isZero();
    }

    @Test
    void statusCodesMapToTheJdksExceptions() {
        S3StoreFiles f = files();
        Path file = f.anchor().resolve("x");
        handler = ex -> Response.error(403, "AccessDenied");
        assertThatThrownBy(() -> f.read(file)).isInstanceOf(java.nio.file.AccessDeniedException.class);
        handler = ex -> Response.error(404, "NoSuchKey");
        assertThatThrownBy(() -> f.read(file)).isInstanceOf(java.nio.file.NoSuchFileException.class);
        handler = ex -> Response.error(404, "NoSuchBucket");
        assertThatThrownBy(() -> f.read(file)).isInstanceOf(IOException.class)
                .isNotInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("NoSuchBucket");
    }
}
