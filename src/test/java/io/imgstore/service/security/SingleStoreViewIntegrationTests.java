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

/** {@code imgstore view lab/one}: only that store, whatever the spelling; no tokens (writes open, as documented). */
@ServiceIntegrationTest
class SingleStoreViewIntegrationTests extends SecurityTestSupport {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        store(root.resolve("lab/one"), 3);
        store(root.resolve("lab/two"), 3);
        server(r, root);
        r.add("imgstore.viewer.single-store", () -> "lab~one");
    }

    @Override
    Path root() {
        return root;
    }

    @Test
    void theOneStoreIsServed() throws IOException {
        assertThat(RawHttp.send(port, "GET", "/stores/lab~one", Map.of(), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/stores/lab~one/frames/0", Map.of(), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/stores/lab%7Eone", Map.of(), null).status()).isEqualTo(200);
    }

    @Test
    void theListingHoldsTheOneStore() throws IOException {
        RawHttp.Response r = RawHttp.send(port, "GET", "/stores", Map.of(), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).contains("\"id\":\"lab~one\"").doesNotContain("lab~two").doesNotContain("lab/two");
        assertThat(r.header("X-Total-Count")).isEqualTo("1");
    }

    @Test
    void everyOtherStoreIs404InEverySpelling() throws IOException {
        // GET /stores was 404 too; it now lists the one store (theListingHoldsTheOneStore)
        for (String path : List.of("/stores/lab~two", "/stores/lab~two/frames/0", "/stores/lab~two/metadata")) {
            for (String target : allSpellings(path)) {
                RawHttp.Response r = RawHttp.send(port, "GET", target, Map.of(), null);
                assertThat(r.status()).as(target + " " + r).isIn(400, 404);
                assertThat(r.isProblem()).as(target + " " + r).isTrue();
                assertThat(r.body()).as(target).doesNotContain("lab/two");
                if (target.equals(path)) {
                    assertThat(r.body()).contains("/problems/store-not-found");
                }
            }
        }
        // through the one store's path
        for (String target : new String[] {"/stores/lab~one/../lab~two", "/stores/lab~one/%2e%2e/lab~two",
                "/stores/lab~one;/../lab~two", "/stores/lab~one/..;/lab~two", "/stores/lab~one%2F..%2Flab~two"}) {
            RawHttp.Response r = RawHttp.send(port, "GET", target, Map.of(), null);
            assertThat(r.status()).as(target + " " + r).isBetween(400, 404);
            assertThat(r.isProblem()).as(target + " " + r).isTrue();
        }
    }

    @Test
    void otherStoresCannotBeWrittenOrCreatedEither() throws IOException {
        for (Write w : writes("lab/three")) {
            for (String target : allSpellings(w.path("lab~two"))) {
                assertRefusedAndNothingWritten("single store", w, target, Map.of());
            }
        }
    }
}
