package io.imgstore.service.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imgstore.service.catalog.StoreIds;
import io.imgstore.testing.Barcode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A server whose reads need a bearer token ({@code imgstore.ingest.protect-reads}): the viewer asks
 * for the token in the page, then lists, shows frames and follows the store with it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ViewerTokenBrowserTest {

    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("viewer-token-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ViewerStores.small(ROOT.resolve("rig/secret_store"), 8);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("imgstore.root", ROOT::toString);
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.ingest.token", () -> "s3cret");
        r.add("imgstore.ingest.protect-reads", () -> "true");
    }

    @LocalServerPort
    int port;

    @AfterAll
    static void cleanUp() throws IOException {
        try (var walk = Files.walk(ROOT)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void asksForTheTokenThenShowsTheStores() throws IOException {
        try (Browser b = Browser.start("http://127.0.0.1:" + port)) {
            b.open("/");
            b.await("token form", () -> b.find("#token-form").isDisplayed());
            assertThat(b.find("#token-form").getText()).contains("needs an access token");
            b.screenshot("21-token-asked");

            b.find("#token-input").sendKeys("wrong", Keys.ENTER);
            b.await("token refused", () -> b.find("#token-form").getText().contains("refused"));

            b.find("#token-input").sendKeys("s3cret", Keys.ENTER);
            b.await("store listed", () -> b.findAll("tr.store").size() == 1);
            b.click("tr.store");
            b.awaitIndex(0);
            b.find("body").sendKeys(Keys.END);
            b.awaitIndex(7);
            assertEquals(Barcode.expected(7), b.decodeShownFrame());
            assertThat(b.driver().getCurrentUrl()).contains("store=" + StoreIds.idFor("rig/secret_store"));

            b.find(".tabs button[data-tab=download]").click();
            assertThat(b.find("#tab-download pre[data-snippet=curl]").getText()).contains("Bearer $IMGSTORE_TOKEN")
                    .doesNotContain("s3cret");
            b.screenshot("22-token-accepted");
        }
    }
}
