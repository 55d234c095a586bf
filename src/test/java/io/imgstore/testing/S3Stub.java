package io.imgstore.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imgstore.format.storage.s3.S3Clients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A STUB, not an S3 implementation: an in-memory subset of S3 (path-style PUT, GET, HEAD, DELETE and
 * ListObjectsV2 with pagination) on a loopback port, that answers conditional PUTs as AWS S3 does
 * ({@code If-None-Match: *} → 412 when the key exists; {@code If-Match} → 412 when the ETag differs, 404
 * when the key is absent), atomically per request. It exists because S3Proxy 2.6.0, the tests' real
 * server, ignores conditional PUTs (gaul/s3proxy#627). No authentication is checked; bodies sent
 * {@code aws-chunked} (the SDK's streaming signatures over plain HTTP) are decoded; user metadata
 * ({@code x-amz-meta-*}) is kept and returned (no multipart uploads: small objects only). The switches
 * {@link #ignoreIfNoneMatch} and {@link #ignoreIfMatch} make it behave like servers that ignore them.
 */
public final class S3Stub implements AutoCloseable {

    /** One stored object. */
    public record StoredObject(byte[] bytes, String etag, Instant lastModified) {
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "s3-stub");
        t.setDaemon(true);
        return t;
    });
    /** bucket/key → object; every access holds the monitor of this map. */
    private final NavigableMap<String, StoredObject> objects = new TreeMap<>();
    /** User metadata ({@code x-amz-meta-*}) of each object, returned by GET and HEAD; guarded by objects. */
    private final Map<String, Map<String, String>> userMetadata = new java.util.HashMap<>();
    private final AtomicInteger conditionalPuts = new AtomicInteger();
    private volatile boolean ignoreIfNoneMatch;
    private volatile boolean ignoreIfMatch;
    private volatile long stallMillis;

    private S3Stub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                handle(ex);
            } catch (RuntimeException e) {
                ex.sendResponseHeaders(500, -1);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public static S3Stub start() throws IOException {
        return new S3Stub();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A path-style client for the stub (the caller closes it). */
    public S3Client client() {
        return S3Clients.forEndpoint(endpoint(), "us-east-1", "stub", "stub-secret", true);
    }

    /** Behave like a server that ignores {@code If-None-Match} on PUT (S3Proxy 2.6.0). */
    public S3Stub ignoreIfNoneMatch(boolean v) {
        ignoreIfNoneMatch = v;
        return this;
    }

    /** Behave like a server that ignores {@code If-Match} on PUT. */
    public S3Stub ignoreIfMatch(boolean v) {
        ignoreIfMatch = v;
        return this;
    }

    /** Make every request wait this long before it is answered (a hung server); 0 to answer at once. */
    public S3Stub stall(java.time.Duration d) {
        stallMillis = d.toMillis();
        return this;
    }

    /** PUTs that carried a condition so far. */
    public int conditionalPuts() {
        return conditionalPuts.get();
    }

    /** Stores an object directly (hostile content, or another process's write). */
    public void put(String bucket, String key, byte[] bytes, Instant lastModified) {
        synchronized (objects) {
            objects.put(bucket + "/" + key, new StoredObject(bytes.clone(), etag(bytes), lastModified));
        }
    }

    public StoredObject get(String bucket, String key) {
        synchronized (objects) {
            return objects.get(bucket + "/" + key);
        }
    }

    public void delete(String bucket, String key) {
        synchronized (objects) {
            objects.remove(bucket + "/" + key);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        if (stallMillis > 0) {
            try {
                Thread.sleep(stallMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        String path = ex.getRequestURI().getRawPath();
        String full = URLDecoder.decode(path.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        int slash = full.indexOf('/');
        String bucket = slash < 0 ? full : full.substring(0, slash);
        String key = slash < 0 ? "" : full.substring(slash + 1);
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String method = ex.getRequestMethod();
        byte[] body = body(ex);
        if (method.equals("GET") && key.isEmpty() && "2".equals(query.get("list-type"))) {
            list(ex, bucket, query);
            return;
        }
        String id = bucket + "/" + key;
        switch (method) {
            case "PUT" -> put(ex, id, body);
            case "GET", "HEAD" -> {
                StoredObject o;
                synchronized (objects) {
                    o = objects.get(id);
                }
                if (o == null) {
                    error(ex, 404, "NoSuchKey", method.equals("HEAD"));
                    return;
                }
                ex.getResponseHeaders().add("ETag", o.etag());
                Map<String, String> meta;
                synchronized (objects) {
                    meta = userMetadata.getOrDefault(id, Map.of());
                }
                meta.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                ex.getResponseHeaders().add("Last-Modified", HTTP_DATE.format(o.lastModified()));
                ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
                if (method.equals("HEAD")) {
                    ex.getResponseHeaders().add("Content-Length", Integer.toString(o.bytes().length));
                    ex.sendResponseHeaders(200, -1);
                } else {
                    ex.sendResponseHeaders(200, o.bytes().length == 0 ? -1 : o.bytes().length);
                    ex.getResponseBody().write(o.bytes());
                }
            }
            case "DELETE" -> {
                synchronized (objects) {
                    objects.remove(id);
                    userMetadata.remove(id);
                }
                ex.sendResponseHeaders(204, -1);
            }
            default -> error(ex, 405, "MethodNotAllowed", false);
        }
    }

    private void put(HttpExchange ex, String id, byte[] body) throws IOException {
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
        if (ifNoneMatch != null || ifMatch != null) {
            conditionalPuts.incrementAndGet();
        }
        StoredObject stored;
        synchronized (objects) {
            StoredObject current = objects.get(id);
            if (!ignoreIfNoneMatch && "*".equals(ifNoneMatch) && current != null) {
                error(ex, 412, "PreconditionFailed", false);
                return;
            }
            if (!ignoreIfMatch && ifMatch != null) {
                if (current == null) {
                    error(ex, 404, "NoSuchKey", false);
                    return;
                }
                if (!ifMatch.equals(current.etag())) {
                    error(ex, 412, "PreconditionFailed", false);
                    return;
                }
            }
            stored = new StoredObject(body, etag(body), Instant.now());
            objects.put(id, stored);
            Map<String, String> meta = new java.util.TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> {
                if (k.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-meta-") && !v.isEmpty()) {
                    meta.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0));
                }
            });
            userMetadata.put(id, meta);
        }
        ex.getResponseHeaders().add("ETag", stored.etag());
        ex.sendResponseHeaders(200, -1);
    }

    private void list(HttpExchange ex, String bucket, Map<String, String> query) throws IOException {
        String prefix = query.getOrDefault("prefix", "");
        int max = Math.min(1000, Integer.parseInt(query.getOrDefault("max-keys", "1000")));
        String after = query.get("continuation-token");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        xml.append("<Name>").append(escape(bucket)).append("</Name><Prefix>").append(escape(prefix)).append("</Prefix>");
        int n = 0;
        String last = null;
        boolean truncated = false;
        synchronized (objects) {
            String from = bucket + "/" + (after != null ? after : prefix);
            for (Map.Entry<String, StoredObject> e : objects.tailMap(from, after == null).entrySet()) {
                if (!e.getKey().startsWith(bucket + "/" + prefix)) {
                    break;
                }
                if (n == max) {
                    truncated = true;
                    break;
                }
                String k = e.getKey().substring(bucket.length() + 1);
                xml.append("<Contents><Key>").append(escape(k)).append("</Key><ETag>").append(escape(e.getValue().etag()))
                        .append("</ETag><Size>").append(e.getValue().bytes().length).append("</Size></Contents>");
                last = k;
                n++;
            }
        }
        xml.append("<KeyCount>").append(n).append("</KeyCount><MaxKeys>").append(max).append("</MaxKeys><IsTruncated>")
                .append(truncated).append("</IsTruncated>");
        if (truncated) {
            xml.append("<NextContinuationToken>").append(escape(last)).append("</NextContinuationToken>");
        }
        xml.append("</ListBucketResult>");
        byte[] out = xml.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
    }

    private static void error(HttpExchange ex, int status, String code, boolean head) throws IOException {
        if (head) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] err = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(status, err.length);
        ex.getResponseBody().write(err);
    }

    /** The request body, with {@code aws-chunked} framing removed. */
    private static byte[] body(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        String sha = ex.getRequestHeaders().getFirst("x-amz-content-sha256");
        String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
        if ((sha == null || !sha.startsWith("STREAMING-")) && (enc == null || !enc.contains("aws-chunked"))) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(raw);
        while (true) {
            String line = line(in);
            int semi = line.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).strip(), 16);
            if (size == 0) {
                return out.toByteArray(); // trailers (checksums) follow; not checked by the stub
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                q.put(k, v);
            }
        }
        return q;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
