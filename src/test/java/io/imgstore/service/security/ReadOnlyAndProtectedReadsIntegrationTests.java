package io.imgstore.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.testing.ServiceIntegrationTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A read-only replica whose reads need a token ({@code imgstore.security.read-only},
 * {@code protect-reads}): no write in any spelling, even with the admin token; reads in any
 * spelling need a token, which may come as {@code ?access_token=} only on the live WebSocket.
 */
@ServiceIntegrationTest
class ReadOnlyAndProtectedReadsIntegrationTests extends SecurityTestSupport {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        store(root.resolve("rig3/s1"), 3);
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.security.read-only", () -> "true");
        r.add("imgstore.security.protect-reads", () -> "true");
        r.add("imgstore.security.tokens.admin.value", () -> ADMIN);
        r.add("imgstore.security.tokens.admin.scope", () -> "admin");
        r.add("imgstore.security.tokens.reader.value", () -> READER);
        r.add("imgstore.security.tokens.reader.scope", () -> "read");
    }

    @LocalServerPort
    int port;

    @Override
    int port() {
        return port;
    }

    @Override
    Path root() {
        return root;
    }

    @Test
    void noWriteInAnySpellingEvenWithTheAdminToken() throws IOException {
        for (String token : new String[] {null, READER, ADMIN}) {
            for (Write w : writes("rig3/new")) {
                for (String target : allSpellings(w.path("rig3~s1"))) {
                    RawHttp.Response r = assertRefusedAndNothingWritten("read-only, token " + token, w, target,
                            bearer(token));
                    if (target.equals(w.path("rig3~s1")) && token != null) {
                        assertThat(r.status()).as(target).isEqualTo(403);
                        assertThat(r.body()).contains("/problems/read-only");
                    }
                }
            }
        }
    }

    @Test
    void readsNeedATokenInEverySpelling() throws IOException {
        for (String path : List.of("/stores", "/stores/rig3~s1", "/stores/rig3~s1/frames/0",
                "/stores/rig3~s1/frames/latest")) {
            for (String target : allSpellings(path)) {
                RawHttp.Response r = RawHttp.send(port, "GET", target, Map.of(), null);
                assertThat(r.status()).as(target + " " + r).isIn(400, 401);
                assertThat(r.isProblem()).as(target + " " + r).isTrue();
                assertThat(r.body()).as(target).doesNotContain("rig3/s1");
                // never on plain HTTP as a query parameter
                String sep = target.contains("?") ? "&" : "?";
                RawHttp.Response q = RawHttp.send(port, "GET", target + sep + "access_token=" + READER, Map.of(), null);
                assertThat(q.status()).as(target + " ?access_token " + q).isIn(400, 401);
            }
        }
        // an Upgrade header does not make a plain read a WebSocket handshake
        assertThat(RawHttp.send(port, "GET", "/stores?access_token=" + READER, Map.of("Upgrade", "websocket"), null)
                .status()).isEqualTo(401);
        assertThat(RawHttp.send(port, "GET", "/stores", bearer(READER), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/stores/rig3~s1/frames/0", bearer(READER), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/stores/rig3%7Es1", bearer(ADMIN), null).status()).isEqualTo(200);
    }

    @Test
    void alignmentAndBulkReadsAreReadsToo() throws IOException {
        for (String target : List.of("/align?stores=rig3~s1", "/align/frames/0?stores=rig3~s1",
                "/stores/rig3~s1/frames?from=0&to=1", "/stores/rig3~s1/clip.mp4")) {
            assertThat(RawHttp.send(port, "GET", target, Map.of(), null).status()).as(target).isEqualTo(401);
        }
        assertThat(RawHttp.send(port, "GET", "/align?stores=rig3~s1", bearer(READER), null).status()).isEqualTo(200);
    }

    @Test
    void theLiveWebSocketTakesTheTokenAsAParameter() throws IOException {
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/live", Map.of()).status()).isEqualTo(401);
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/live?access_token=" + READER, Map.of()).status())
                .isEqualTo(101);
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/live;x?access_token=" + READER, Map.of()).status())
                .isEqualTo(400);
    }

    @Test
    void publicPagesStayPublic() throws IOException {
        assertThat(RawHttp.send(port, "GET", "/", Map.of(), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/actuator/health", Map.of(), null).status()).isEqualTo(200);
    }
}
