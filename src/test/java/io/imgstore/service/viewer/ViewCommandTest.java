package io.imgstore.service.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imgstore.cli.ImgstoreCommand;
import io.imgstore.cli.ViewCommand;
import io.imgstore.testing.Barcode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imgstore view <store>}: serves that one store (its siblings and the listing are not
 * served), and the printed URL opens the viewer on it, in a real browser when Chromium is there.
 */
class ViewCommandTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOnlyThatStoreAndItsUrlOpensTheViewerOnIt(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("exp 2024-05-01"); // not a plain id: b64 form
        ViewerStores.small(store, 12);
        ViewerStores.small(dir.resolve("sibling"), 3);
        try (ViewCommand.Running running = ViewCommand.start(store.resolve("metadata.yaml"), 0, "127.0.0.1")) {
            String url = running.url();
            assertThat(url).startsWith("http://127.0.0.1:").contains("/?store=" + running.storeId());
            String base = url.substring(0, url.indexOf("/?"));

            HttpResponse<String> page = get(url);
            assertEquals(200, page.statusCode());
            assertThat(page.body()).contains("imgstore viewer", "/viewer/app.js");
            assertThat(get(base + "/viewer/config").body()).contains("\"single_store\":\"" + running.storeId() + "\"");
            assertEquals(200, get(base + "/stores/" + running.storeId()).statusCode());
            assertEquals(200, get(base + "/stores/" + running.storeId() + "/frames/by-index/11").statusCode());
            assertEquals(404, get(base + "/stores/sibling").statusCode(), "siblings are not served");
            // the listing holds the one store only (it was a 404; now a one-item list): no sibling
            HttpResponse<String> listing = get(base + "/stores");
            assertEquals(200, listing.statusCode());
            assertThat(listing.body()).contains("\"id\":\"" + running.storeId() + "\"").doesNotContain("sibling");
            assertThat(listing.headers().firstValue("X-Total-Count")).contains("1");

            if (java.nio.file.Files.isExecutable(Browser.CHROMIUM) || io.imgstore.testing.Ci.isCi()) {
                try (Browser b = Browser.start(base)) {
                    b.open(url.substring(base.length()));
                    b.awaitIndex(0);
                    b.find("body").sendKeys(org.openqa.selenium.Keys.END);
                    b.awaitIndex(11);
                    assertEquals(Barcode.expected(11), b.decodeShownFrame());
                    assertThat(b.find("#crumbs").getText()).doesNotContain("stores").contains("exp 2024-05-01");
                    b.screenshot("20-imgstore-view");
                }
            }
        }
    }

    @Test
    void refusesAFolderThatIsNotAStore(@TempDir Path dir) {
        assertThatThrownBy(() -> ViewCommand.start(dir, 0, "127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an imgstore");
        assertEquals(1, ImgstoreCommand.run("view", "--no-browser", dir.toString()));
    }

    @Test
    void isRegisteredAsASubcommand() {
        assertEquals(0, ImgstoreCommand.run("view", "--help"));
        assertThat(ImgstoreCommand.isCliInvocation(new String[] {"view", "x"})).isTrue();
    }
}
