package io.imgstore.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Requests, URL spellings and "nothing written" checks shared by the security integration tests. */
abstract class SecurityTestSupport {

    static final String ADMIN = "admin-token-0123456789abcdef";
    static final String RIG3 = "rig3-token-0123456789abcdef";
    static final String READER = "reader-token-0123456789abcdef";

    @LocalServerPort
    int port;

    int port() {
        return port;
    }

    abstract Path root();

    /** The root, no demo store, and the named tokens ({@code name, scope, value} triples; scope may be {@code write:prefix}). */
    static void server(DynamicPropertyRegistry r, Path root, String... tokens) {
        r.add("imgstore.root", root::toString);
        r.add("imgstore.demo", () -> "false");
        for (int i = 0; i + 2 < tokens.length; i += 3) {
            String name = tokens[i];
            String[] scope = tokens[i + 1].split(":", 2);
            String value = tokens[i + 2];
            r.add("imgstore.security.tokens." + name + ".value", () -> value);
            r.add("imgstore.security.tokens." + name + ".scope", () -> scope[0]);
            if (scope.length == 2) {
                r.add("imgstore.security.tokens." + name + ".path-prefix", () -> scope[1]);
            }
        }
    }

    /** An 8x8 gray npy store with {@code n} frames, written with the library (before the server starts). */
    static void store(Path dir, int n) {
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 8, 8))) {
            for (int i = 0; i < n; i++) {
                w.addImage(new Image(8, 8, 1, PixelType.UINT8, new byte[64]), i, 1000.0 + i);
            }
        }
    }

    static Map<String, String> bearer(String token) {
        Map<String, String> h = new LinkedHashMap<>();
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        return h;
    }

    /**
     * The same target written the ways an attacker would: encoded letters, {@code ;} parameters,
     * doubled slashes, dot segments (plain and encoded), an encoded slash or tilde in the id,
     * a trailing slash.
     */
    static List<String> oddSpellings(String path) {
        List<String> v = new ArrayList<>();
        String rest = path.substring("/stores".length());
        v.add("/%73tores" + rest);
        v.add("/%53tores" + rest);
        v.add("/%73%74ores" + rest);
        v.add("/stores;x" + rest);
        v.add(path + ";x");
        v.add("/" + path);
        v.add("/." + path);
        v.add("/stores/%2e%2e" + path);
        v.add("/stores/%2E%2E" + path);
        v.add("/stores/x/.." + rest);
        v.add("/stores/x/%2e%2e" + rest);
        v.add(path + "/");
        if (path.contains("~")) {
            v.add(path.replace("~", "%2F"));
            v.add(path.replace("~", "%2f"));
            v.add(path.replace("~", "%7E"));
            v.add(path.replace("~", "%7e"));
        }
        return v;
    }

    static List<String> allSpellings(String path) {
        List<String> v = new ArrayList<>();
        v.add(path);
        v.addAll(oddSpellings(path));
        return v;
    }

    /** One write request (or the ingest WebSocket handshake) to a target. */
    record Write(String name, String method, String pathTemplate, String contentType, byte[] body, boolean websocket) {

        String path(String storeId) {
            return pathTemplate.replace("{id}", storeId);
        }

        RawHttp.Response send(int port, String target, Map<String, String> headers) throws IOException {
            if (websocket) {
                return RawHttp.handshake(port, target, headers);
            }
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (contentType != null) {
                h.put("Content-Type", contentType);
            }
            return RawHttp.send(port, method, target, h, body == null ? new byte[0] : body);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String createJson(String storePath) {
        return "{\"path\": \"" + storePath + "\", \"format\": \"npy\", \"imgshape\": [8, 8]}";
    }

    /** Every write endpoint: create (naming {@code newPath}), frames (stream and single), extra data, close, ingest. */
    static List<Write> writes(String newPath) {
        return List.of(
                new Write("create", "POST", "/stores", "application/json", utf8(createJson(newPath)), false),
                new Write("frames (stream)", "POST", "/stores/{id}/frames", "application/x-imgstore-frames",
                        new byte[0], false),
                new Write("frames (one)", "POST", "/stores/{id}/frames", "application/octet-stream", new byte[64], false),
                new Write("extra-data", "POST", "/stores/{id}/extra-data", "application/json", utf8("{\"k\": 1}"), false),
                new Write("close", "POST", "/stores/{id}/close", null, new byte[0], false),
                new Write("ingest", "GET", "/stores/{id}/ingest", null, null, true));
    }

    /** The request is refused (4xx problem+json) and nothing under the root changed. */
    RawHttp.Response assertRefusedAndNothingWritten(String what, Write w, String target, Map<String, String> headers)
            throws IOException {
        Map<String, Long> before = RawHttp.snapshot(root());
        RawHttp.Response r = w.send(port(), target, headers);
        assertThat(r.status()).as(what + " " + w.method() + " " + target + " -> " + r).isBetween(400, 499);
        assertThat(r.isProblem()).as(what + " " + w.method() + " " + target + " is problem+json: " + r).isTrue();
        assertThat(RawHttp.snapshot(root())).as(what + " " + w.method() + " " + target + " wrote nothing").isEqualTo(before);
        return r;
    }
}
