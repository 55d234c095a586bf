package io.imgstore.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.testing.HostileFiles;
import io.imgstore.testing.PackagedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile requests and hostile files against the packaged jar, started as in the container: a small
 * heap and {@code -XX:+ExitOnOutOfMemoryError}, so any allocation sized by input kills the process and
 * fails the test. Every write endpoint is tried in every URL spelling an attacker would use (without a
 * token, with a read token, with a write token limited to another prefix): each ends in a 4xx and
 * nothing is written. After every memory probe the server must still answer its health check. Nothing
 * outside the root is ever served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputsIT {

    static final String ADMIN = "admin-token-0123456789";
    static final String READER = "read-token-0123456789";
    static final String RIG3 = "rig3-token-0123456789";
    static final String SECRET = "TOPSECRET-outside-the-root-4f1c";

    Path tmp;

    Path root;
    Path outside;
    Process server;
    int port;
    Path log;

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("imgstore-hostile");
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        prepareHostileFiles();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = tmp.resolve("server.log");
        server = PackagedServer.start(port, log, List.of("-Xmx384m", "-XX:+ExitOnOutOfMemoryError"),
                "--imgstore.root=" + root, "--imgstore.demo=false",
                "--imgstore.security.tokens.admin.value=" + ADMIN,
                "--imgstore.security.tokens.admin.scope=admin",
                "--imgstore.security.tokens.reader.value=" + READER,
                "--imgstore.security.tokens.reader.scope=read",
                "--imgstore.security.tokens.rig3.value=" + RIG3,
                "--imgstore.security.tokens.rig3.scope=write",
                "--imgstore.security.tokens.rig3.path-prefix=rig3/");
        // an open store, for the write endpoints
        Reply created = post("/stores", ADMIN, "application/json",
                "{\"path\": \"open1\", \"format\": \"npy\", \"imgshape\": [32, 32]}".getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------- authorization on the router's path

    static List<String> spellings(String path) {
        // path starts with /stores
        String rest = path.substring("/stores".length());
        List<String> out = new ArrayList<>(List.of(
                path,
                "/%73tores" + rest,
                "/%73%74%6f%72%65%73" + rest,
                "/stores;x" + rest,
                path + ";x",
                "//stores" + rest,
                "/./stores" + rest,
                "/stores/../stores" + rest,
                "/stores/%2e%2e/stores" + rest,
                "/x/..%2fstores" + rest,
                path + "/",
                "/stores%2F" + rest.replaceFirst("^/", "")));
        if (!rest.isEmpty()) {
            out.add("/stores/" + rest.substring(1).replace("open1", "%6fpen1"));
            out.add("/stores/" + rest.substring(1).replace("open1", "open1;v=1"));
        }
        return out;
    }

    record Endpoint(String method, String path, String contentType, byte[] body, boolean websocket) {
    }

    static List<Endpoint> writeEndpoints() {
        byte[] create = "{\"path\": \"evil\", \"format\": \"npy\", \"imgshape\": [8, 8]}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = record(0, 1.0, new byte[32 * 32]);
        byte[] extra = "{\"temperature\": 1}".getBytes(StandardCharsets.UTF_8);
        return List.of(
                new Endpoint("POST", "/stores", "application/json", create, false),
                new Endpoint("POST", "/stores/open1/frames", "application/x-imgstore-frames", frame, false),
                new Endpoint("POST", "/stores/open1/frames", "application/octet-stream", new byte[32 * 32], false),
                new Endpoint("POST", "/stores/open1/extra-data", "application/json", extra, false),
                new Endpoint("POST", "/stores/open1/close", "application/json", new byte[0], false),
                new Endpoint("GET", "/stores/open1/ingest", null, null, true));
    }

    @Test
    void writesWithoutTheRightTokenFailInEverySpellingAndWriteNothing() throws Exception {
        int tried = 0;
        for (Endpoint e : writeEndpoints()) {
            for (String spelling : spellings(e.path())) {
                for (String token : new String[] {null, READER, RIG3, "wrong-" + ADMIN}) {
                    Reply r = request(e, spelling, token);
                    assertThat(r.status()).as("%s %s with %s -> %s", e.method(), spelling, token, r.body())
                            .isBetween(400, 499);
                    if (r.status() != 404 || !r.body().isEmpty()) {
                        assertThat(r.contentType()).as("%s %s: %s", e.method(), spelling, r.body())
                                .contains("application/problem+json");
                    }
                    tried++;
                    // the query-parameter token counts on WebSocket handshakes only: never on plain HTTP
                    if (!e.websocket() && token == null) {
                        Reply q = request(e, spelling + (spelling.contains("?") ? "&" : "?") + "access_token=" + ADMIN,
                                null);
                        assertThat(q.status()).as("%s %s?access_token -> %s", e.method(), spelling, q.body())
                                .isBetween(400, 499);
                    }
                }
            }
        }
        assertThat(tried).isGreaterThan(200);
        assertNothingWritten();
        assertAlive();
    }

    private void assertNothingWritten() throws IOException {
        assertThat(root.resolve("evil")).doesNotExist();
        try (Stream<Path> files = Files.walk(root.resolve("open1"))) {
            assertThat(files.filter(p -> p.getFileName().toString().matches("\\d{6}\\.npy|.*\\.extra\\.json"))
                    .toList()).as("frames or extra data written without the token").isEmpty();
        }
        assertThat(root.resolve("open1/.lock")).as("open1 closed without the token").exists();
        Reply summary = get("/stores/open1", READER);
        assertThat(summary.body()).contains("\"frame_count\":0");
    }

    @Test
    void aWriteTokenIsConfinedToItsPrefix() throws Exception {
        Reply other = post("/stores", RIG3, "application/json",
                "{\"path\": \"rig4/x\", \"format\": \"npy\", \"imgshape\": [8, 8]}".getBytes(StandardCharsets.UTF_8));
        assertThat(other.status()).as(other.body()).isEqualTo(403);
        assertThat(root.resolve("rig4")).doesNotExist();
        Reply sneaky = post("/stores", RIG3, "application/json",
                "{\"path\": \"rig3/../rig4/y\", \"format\": \"npy\", \"imgshape\": [8, 8]}".getBytes(StandardCharsets.UTF_8));
        assertThat(sneaky.status()).as(sneaky.body()).isBetween(400, 403);
        assertThat(root.resolve("rig4")).doesNotExist();
        Reply own = post("/stores", RIG3, "application/json",
                "{\"path\": \"rig3/a\", \"format\": \"npy\", \"imgshape\": [8, 8]}".getBytes(StandardCharsets.UTF_8));
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        Reply push = post("/stores/rig3~a/frames", RIG3, "application/x-imgstore-frames", record(5, 2.0, new byte[64]));
        assertThat(push.status()).as(push.body()).isEqualTo(200);
        Reply foreign = post("/stores/open1/frames", RIG3, "application/x-imgstore-frames", record(5, 2.0, new byte[32 * 32]));
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(403);
        assertAlive();
    }

    // ---------------------------------------------------------------- memory

    @Test
    void aHugeShapeIsRefusedAtCreation() throws Exception {
        Reply r = post("/stores", ADMIN, "application/json",
                "{\"path\": \"huge\", \"format\": \"npy\", \"imgshape\": [16384, 16384, 3], \"imgdtype\": \"uint16\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(root.resolve("huge")).doesNotExist();
        assertAlive();
    }

    @Test
    void recordHeadersClaimingHugePayloadsAllocateNothing() throws Exception {
        Reply created = post("/stores", ADMIN, "application/json",
                "{\"path\": \"claims\", \"format\": \"npy\", \"imgshape\": [16, 16]}".getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        for (String length : new String[] {"1099511627776", "2147483647", "-1", "1e30", "268435457"}) {
            byte[] header = ("{\"frame_number\": 1, \"frame_time\": 1.0, \"payload_length\": " + length + "}")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] rec = ByteBuffer.allocate(4 + header.length).putInt(header.length).put(header).array();
            Reply r = post("/stores/claims/frames", ADMIN, "application/x-imgstore-frames", rec);
            assertThat(r.status()).as("payload_length %s: %s", length, r.body()).isEqualTo(400);
            assertAlive();
        }
        // a store at the frame-size limit, several clients announcing a full frame at once: the buffer budget
        // holds them back instead of letting each allocate
        Reply big = post("/stores", ADMIN, "application/json",
                "{\"path\": \"big\", \"format\": \"npy\", \"imgshape\": [8192, 8192], \"imgdtype\": \"uint16\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(big.status()).as(big.body()).isEqualTo(201);
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                byte[] header = ("{\"frame_number\": " + i + ", \"frame_time\": 1.0, \"payload_length\": "
                        + (8192L * 8192 * 2) + "}").getBytes(StandardCharsets.UTF_8);
                Socket s = new Socket("localhost", port);
                open.add(s);
                OutputStream out = s.getOutputStream();
                out.write(("POST /stores/big/frames HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                        + "\r\nContent-Type: application/x-imgstore-frames\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] rec = ByteBuffer.allocate(4 + header.length + 1024).putInt(header.length).put(header).array();
                out.write((Integer.toHexString(rec.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(rec);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            Thread.sleep(2000);
            assertAlive();
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        assertAlive();
    }

    @Test
    void aTinyNpyClaimingAHugeShapeCostsNothing() throws Exception {
        for (int i = 0; i < 5; i++) {
            Reply r = get("/stores/tinynpy/frames/0", READER);
            assertThat(r.status()).as(r.body()).isBetween(400, 599).isNotEqualTo(503);
            assertThat(r.contentType()).contains("application/problem+json");
            assertAlive();
        }
    }

    @Test
    void aZipBombIndexCostsNothing() throws Exception {
        for (int i = 0; i < 3; i++) {
            Reply r = get("/stores/zipbomb/frames/0", READER);
            assertThat(r.status()).as(r.body()).isBetween(400, 599);
            assertThat(r.contentType()).contains("application/problem+json");
            Reply s = get("/stores/zipbomb", READER);
            assertThat(s.status()).as(s.body()).isBetween(400, 599);
            assertAlive();
        }
    }

    // ---------------------------------------------------------------- the root

    @Test
    void nothingOutsideTheRootIsServed() throws Exception {
        List<String> paths = List.of("/stores", "/stores/leakmeta", "/stores/leakmeta/metadata",
                "/stores/leakchunk", "/stores/leakchunk/frames/0", "/stores/leakchunk/frames/0?format=npy",
                "/stores/leakchunk/frames/by-index/0?format=npy", "/stores/leakchunk/frame-metadata",
                "/stores/leakchunk/extra-data", "/stores/brokenyaml", "/stores/brokenyaml/metadata");
        for (String p : paths) {
            Reply r = get(p, READER);
            assertThat(r.body()).as(p).doesNotContain(SECRET);
            assertThat(new String(r.rawBody(), StandardCharsets.ISO_8859_1)).as(p).doesNotContain("OUTSIDE-PIXELS");
        }
        assertThat(get("/stores/leakchunk/frames/0?format=npy", READER).status()).isBetween(400, 499);
        assertThat(get("/stores/leakmeta", READER).status()).isBetween(400, 499);
        assertAlive();
    }

    @Test
    void overLongPathsAreBadRequests() throws Exception {
        String longSegment = "a".repeat(300);
        Reply create = post("/stores", ADMIN, "application/json",
                ("{\"path\": \"" + longSegment + "\", \"format\": \"npy\", \"imgshape\": [8, 8]}").getBytes(StandardCharsets.UTF_8));
        assertThat(create.status()).as(create.body()).isEqualTo(400);
        Reply read = get("/stores/" + longSegment, READER);
        assertThat(read.status()).as(read.body()).isBetween(400, 404);
        assertThat(read.contentType()).contains("application/problem+json");
        assertAlive();
    }

    @Test
    void malformedRequestsGetProblemJson() throws Exception {
        Reply accept = send("GET /stores HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + READER
                + "\r\nAccept: ;;;,,garbage/\r\nConnection: close\r\n\r\n", null);
        assertThat(accept.status()).isIn(200, 400, 406);
        if (accept.status() != 200) {
            assertThat(accept.contentType()).contains("application/problem+json");
        }
        Reply dots = send("GET /stores/..%2f..%2fetc HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", null);
        assertThat(dots.status()).isBetween(400, 404);
        assertThat(dots.contentType()).contains("application/problem+json");
        Reply header = send("GET /stores HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n", null);
        assertThat(header.status()).isBetween(400, 499);
        assertThat(header.contentType()).contains("application/problem+json");
        assertAlive();
    }

    // ---------------------------------------------------------------- hostile files

    private byte[] outsideNpyMarker() {
        return "OUTSIDE-PIXELS".getBytes(StandardCharsets.US_ASCII);
    }

    private void prepareHostileFiles() throws IOException {
        // a file outside the root that a store tries to expose
        Files.writeString(outside.resolve("secret.yaml"), "# " + SECRET + "\n__store: {class: DirectoryImgStore,\n  "
                + SECRET + ": [\n");
        byte[] pixels = new byte[16 * 16];
        System.arraycopy(outsideNpyMarker(), 0, pixels, 0, outsideNpyMarker().length);
        Files.write(outside.resolve("frame.npy"), HostileFiles.npy("|u1", "(16, 16)", pixels));

        // leakmeta: metadata.yaml is a symlink to the outside file
        HostileFiles.writeStore(root.resolve("leakmeta"));
        Files.delete(root.resolve("leakmeta/metadata.yaml"));
        Files.createSymbolicLink(root.resolve("leakmeta/metadata.yaml"), outside.resolve("secret.yaml"));

        // leakchunk: the first frame is a symlink to a file outside
        HostileFiles.writeStore(root.resolve("leakchunk"));
        Path frame0 = root.resolve("leakchunk/000000/000000.npy");
        Files.delete(frame0);
        Files.createSymbolicLink(frame0, outside.resolve("frame.npy"));

        // brokenyaml: a yaml error must not echo the file's lines
        HostileFiles.writeStore(root.resolve("brokenyaml"));
        Files.writeString(root.resolve("brokenyaml/metadata.yaml"), "__store:\n  class: DirectoryImgStore\n  "
                + SECRET + ": [unclosed\n");

        // tinynpy: a 128-byte frame whose header claims 46340 x 46340
        HostileFiles.writeTinyNpyStore(root.resolve("tinynpy"));

        // zipbomb: the chunk index's frame_number member inflates to 400 MB
        HostileFiles.writeZipBombStore(root.resolve("zipbomb"), 400L * 1024 * 1024);
    }

    // ---------------------------------------------------------------- HTTP over a raw socket (exact bytes)

    record Reply(int status, String contentType, String body, byte[] rawBody) {
    }

    static byte[] record(long number, double time, byte[] payload) {
        byte[] header = ("{\"frame_number\": " + number + ", \"frame_time\": " + time + ", \"payload_length\": "
                + payload.length + "}").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + header.length + payload.length).putInt(header.length).put(header).put(payload)
                .array();
    }

    private Reply request(Endpoint e, String path, String token) throws IOException {
        StringBuilder head = new StringBuilder(e.method()).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost:").append(port).append("\r\nConnection: close\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (e.websocket()) {
            head.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        }
        if (e.body() != null) {
            head.append("Content-Type: ").append(e.contentType()).append("\r\nContent-Length: ")
                    .append(e.body().length).append("\r\n");
        }
        head.append("\r\n");
        return send(head.toString(), e.body());
    }

    private Reply post(String path, String token, String contentType, byte[] body) throws IOException {
        return send("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    private Reply get(String path, String token) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n", null);
    }

    private Reply send(String head, byte[] body) throws IOException {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // the server may answer and close before reading the body
                }
            }
            out.flush();
            if (head.contains("Upgrade: websocket")) {
                // a successful handshake never closes: read just the status line and headers
                return readHead(s.getInputStream());
            }
            byte[] all = readAll(s.getInputStream());
            return parse(all);
        }
    }

    private static Reply readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String sofar = b.toString(StandardCharsets.ISO_8859_1);
            if (sofar.endsWith("\r\n\r\n")) {
                break;
            }
        }
        Reply head = parse(b.toByteArray());
        if (head.status() == 101) {
            return head;
        }
        byte[] rest;
        try {
            rest = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            rest = new byte[0];
        }
        return new Reply(head.status(), head.contentType(), new String(rest, StandardCharsets.UTF_8), rest);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // reset after the answer: keep what arrived
        }
        return b.toByteArray();
    }

    private static Reply parse(byte[] all) {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Reply(-1, "", text, all);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String contentType = "";
        boolean chunked = false;
        for (String line : text.substring(0, end).split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).strip();
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] raw = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if (chunked) {
            raw = dechunk(raw);
        }
        return new Reply(status, contentType, new String(raw, StandardCharsets.UTF_8), raw);
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int eol = indexOf(raw, i);
            if (eol < 0) {
                break;
            }
            String size = new String(raw, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].strip();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(raw, eol + 2, Math.min(n, raw.length - eol - 2));
            i = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void assertAlive() throws IOException {
        assertThat(server.isAlive()).as("server process exited; log:\n" + tail()).isTrue();
        Reply health = get("/actuator/health", null);
        assertThat(health.status()).as("health after the probe: " + health.body()).isEqualTo(200);
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
