package io.imgstore.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.testing.ServiceIntegrationTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        server(r, root, "admin", "admin", ADMIN, "reader", "read", READER);
        r.add("imgstore.security.read-only", () -> "true");
        r.add("imgstore.security.protect-reads", () -> "true");
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
    void aBulkReadByPostIsAuthorizedAsARead() throws IOException {
        byte[] json = utf8("{\"numbers\": [2, 0, 1]}");
        byte[] form = utf8("numbers=2,0,1");
        for (String[] body : new String[][] {{"application/json", "json"}, {"application/json; charset=utf-8", "json"},
                {"application/x-www-form-urlencoded", "form"}}) {
            byte[] b = body[1].equals("json") ? json : form;
            Map<String, String> anon = Map.of("Content-Type", body[0]);
            // reads are protected: no token, 401 like a GET
            RawHttp.Response r = RawHttp.send(port, "POST", "/stores/rig3~s1/frames?format=npy", anon, b);
            assertThat(r.status()).as(body[0] + " " + r).isEqualTo(401);
            // the read token reads (a write would be 403 on this read-only server, whatever the token)
            Map<String, String> reader = bearer(READER);
            reader.put("Content-Type", body[0]);
            r = RawHttp.send(port, "POST", "/stores/rig3~s1/frames?format=npy", reader, b);
            assertThat(r.status()).as(body[0] + " " + r).isEqualTo(200);
            assertThat(r.header("X-Frame-Numbers")).isEqualTo("2,0,1");
        }
        // the same path with ingest's media type stays a write: refused on this read-only server
        Map<String, String> ingest = bearer(ADMIN);
        ingest.put("Content-Type", "application/x-imgstore-frames");
        assertThat(RawHttp.send(port, "POST", "/stores/rig3~s1/frames", ingest, new byte[0]).status()).isEqualTo(403);
        Map<String, String> odd = bearer(READER);
        odd.put("Content-Type", "application/jsonx");
        assertThat(RawHttp.send(port, "POST", "/stores/rig3~s1/frames", odd, json).status()).isEqualTo(403);
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
