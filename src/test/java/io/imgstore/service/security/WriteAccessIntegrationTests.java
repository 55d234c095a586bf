package io.imgstore.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.testing.ServiceIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every write endpoint, every URL spelling, every kind of missing right: no token, a read token,
 * a write token limited to another folder. All refused with problem+json and nothing written on
 * disk; the right token writes.
 */
@ServiceIntegrationTest
class WriteAccessIntegrationTests extends SecurityTestSupport {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        store(root.resolve("rig3/s1"), 3);
        store(root.resolve("lab/s2"), 3);
        server(r, root, "admin", "admin", ADMIN, "rig3", "write:rig3/", RIG3, "reader", "read", READER);
    }

    @Override
    Path root() {
        return root;
    }

    @Test
    void withoutATokenEveryWriteInEverySpellingIs4xxAndWritesNothing() throws IOException {
        for (Write w : writes("rig3/new-anon")) {
            for (String target : allSpellings(w.path("rig3~s1"))) {
                RawHttp.Response r = assertRefusedAndNothingWritten("no token", w, target, Map.of());
                if (r.status() == 401) {
                    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"imgstore\"");
                    assertThat(r.body()).contains("/problems/unauthorized");
                }
            }
        }
        assertThat(Files.exists(root.resolve("rig3/new-anon"))).isFalse();
    }

    @Test
    void aReadTokenCannotWrite() throws IOException {
        for (Write w : writes("rig3/new-reader")) {
            for (String target : allSpellings(w.path("rig3~s1"))) {
                RawHttp.Response r = assertRefusedAndNothingWritten("read token", w, target, bearer(READER));
                if (target.equals(w.path("rig3~s1"))) {
                    assertThat(r.status()).as(target).isEqualTo(403);
                    assertThat(r.body()).contains("/problems/forbidden");
                }
            }
        }
    }

    @Test
    void aWriteTokenCannotWriteOutsideItsPrefix() throws IOException {
        for (Write w : writes("lab/new-rig3")) {
            for (String target : allSpellings(w.path("lab~s2"))) {
                RawHttp.Response r = assertRefusedAndNothingWritten("rig3 token on lab", w, target, bearer(RIG3));
                if (target.equals(w.path("lab~s2"))) {
                    assertThat(r.status()).as(target + " " + r).isEqualTo(403);
                }
            }
        }
        // creating outside the prefix by a path that only looks inside it
        Write create = writes("x").get(0);
        for (String sneaky : new String[] {"rig3/../lab/x", "rig3/./x", "rig3", "rig3x/a", "/rig3/x", "rig3//x"}) {
            Write w = new Write("create", "POST", "/stores", "application/json", utf8(createJson(sneaky)), false);
            assertRefusedAndNothingWritten("rig3 token, path " + sneaky, w, "/stores", bearer(RIG3));
        }
        assertThat(create.name()).isEqualTo("create");
        assertThat(Files.exists(root.resolve("lab/new-rig3"))).isFalse();
    }

    @Test
    void anUnknownTokenIs401() throws IOException {
        Write close = writes("x").get(4);
        RawHttp.Response r = assertRefusedAndNothingWritten("wrong token", close, "/stores/rig3~s1/close",
                bearer("wrong-token-0123456789abcdef"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"imgstore\"");
    }

    @Test
    void theRightTokensWrite() throws IOException {
        for (String token : new String[] {RIG3, ADMIN}) {
            String name = token == RIG3 ? "ok-rig3" : "ok-admin";
            String id = "rig3~" + name;
            var writes = writes("rig3/" + name);
            assertThat(writes.get(0).send(port, "/stores", bearer(token)).status()).as("create").isEqualTo(201);
            assertThat(Files.isDirectory(root.resolve("rig3/" + name))).isTrue();
            for (int i = 1; i <= 4; i++) {
                Write w = writes.get(i);
                if (w.name().equals("close")) {
                    // an encoded tilde is the same store to the router and to the rules
                    Write extra = writes.get(3);
                    RawHttp.Response r = extra.send(port, extra.path(id).replace("~", "%7E"), bearer(token));
                    assertThat(r.status()).as("encoded tilde " + r).isEqualTo(200);
                }
                RawHttp.Response r = w.send(port, w.path(id), bearer(token));
                assertThat(r.status()).as(w.name() + " " + r).isBetween(200, 299);
            }
        }
        // the ingest WebSocket, with the header or (handshakes only) the query parameter
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/ingest", bearer(RIG3)).status()).isEqualTo(101);
        assertThat(RawHttp.handshake(port, "/stores/lab~s2/ingest?access_token=" + ADMIN, Map.of()).status())
                .isEqualTo(101);
    }

    @Test
    void accessTokenParameterOnlyCountsOnWebSocketHandshakes() throws IOException {
        Write create = writes("rig3/by-query").get(0);
        RawHttp.Response r = assertRefusedAndNothingWritten("access_token on plain HTTP", create,
                "/stores?access_token=" + ADMIN, Map.of());
        assertThat(r.status()).isEqualTo(401);
        Write close = writes("x").get(4);
        assertThat(assertRefusedAndNothingWritten("access_token on plain HTTP", close,
                "/stores/rig3~s1/close?access_token=" + ADMIN, Map.of()).status()).isEqualTo(401);
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/ingest?access_token=" + ADMIN, Map.of()).status())
                .isEqualTo(101);
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/ingest?access_token=nope", Map.of()).status())
                .isEqualTo(401);
    }

    @Test
    void crossOriginWebSocketsAreRefused() throws IOException {
        Map<String, String> evil = new LinkedHashMap<>(bearer(ADMIN));
        evil.put("Origin", "http://evil.example");
        Write ingest = writes("x").get(5);
        RawHttp.Response r = assertRefusedAndNothingWritten("cross-origin", ingest, "/stores/rig3~s1/ingest", evil);
        assertThat(r.status()).isEqualTo(403);
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/live", Map.of("Origin", "http://evil.example")).status())
                .isEqualTo(403);
        Map<String, String> same = new LinkedHashMap<>(bearer(ADMIN));
        same.put("Origin", "http://localhost:" + port);
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/ingest", same).status()).isEqualTo(101);
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/live", Map.of("Origin", "http://localhost:" + port))
                .status()).isEqualTo(101);
        assertThat(RawHttp.handshake(port, "/stores/rig3~s1/live", Map.of()).status()).isEqualTo(101);
    }

    @Test
    void readsStayOpenWithoutProtectReads() throws IOException {
        assertThat(RawHttp.send(port, "GET", "/stores", Map.of(), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/stores/lab~s2", Map.of(), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/actuator/health", Map.of(), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/", Map.of(), null).status()).isEqualTo(200);
    }

    @Test
    void errorsOutsideTheControllersAreProblemJsonToo() throws IOException {
        // an oversized header: refused by Tomcat before any servlet (its error valve writes problem+json)
        RawHttp.Response big = RawHttp.send(port, "GET", "/stores", Map.of("X-Big", "a".repeat(20_000)), null);
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.isProblem()).as(big.toString()).isTrue();
        // dot segments and encoded slashes
        for (String target : new String[] {"/stores/..%2f..", "/stores/../../etc/passwd", "/stores/%2e%2e/%2e%2e",
                "/..", "/stores/x%00y"}) {
            RawHttp.Response r = RawHttp.send(port, "GET", target, Map.of(), null);
            assertThat(r.status()).as(target + " " + r).isBetween(400, 499);
            assertThat(r.isProblem()).as(target + " " + r).isTrue();
            assertThat(r.body()).as(target).doesNotContain("<html");
        }
        // a malformed Accept header: 400 problem+json wherever it is sent
        for (String target : new String[] {"/stores", "/stores/lab~s2", "/stores/lab~s2/frames/0", "/"}) {
            RawHttp.Response r = RawHttp.send(port, "GET", target, Map.of("Accept", ";;;,,garbage/"), null);
            assertThat(r.status()).as(target + " " + r).isEqualTo(400);
            assertThat(r.isProblem()).as(target + " " + r).isTrue();
            assertThat(r.body()).contains("/problems/bad-request");
        }
        // a method no route has, on a public path
        RawHttp.Response put = RawHttp.send(port, "PUT", "/", bearer(ADMIN), new byte[0]);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.isProblem()).as(put.toString()).isTrue();
        // the firewall's own refusals name a type
        RawHttp.Response encoded = RawHttp.send(port, "GET", "/%73tores", Map.of(), null);
        assertThat(encoded.status()).isEqualTo(400);
        assertThat(encoded.body()).contains("\"type\":\"/problems/bad-request\"");
        // Spring Boot's error page itself
        RawHttp.Response error = RawHttp.send(port, "GET", "/error", Map.of("Accept", "text/html"), null);
        assertThat(error.isProblem()).as(error.toString()).isTrue();
    }
}
