package io.imgstore.service.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Barcode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The aligned side-by-side page ({@code /align.html}) in a real browser. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AlignViewBrowserTest {

    static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("align-view-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        write("a", 0, 9, 4);
        write("b", 2, 11, -1);
    }

    static void write(String name, long first, long last, long skip) {
        try (ImgStoreWriter w = ImgStoreWriter.create(ROOT.resolve(name),
                new StoreSpec(StoreFormat.NPY, new int[] {32, 64}, PixelType.UINT8, 5, Map.of(), null, null))) {
            for (long n = first; n <= last; n++) {
                if (n != skip) {
                    w.addImage(Barcode.draw(n, 32, 64, 1, PixelType.UINT8), n, 1.7e9 + n);
                }
            }
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("imgstore.root", ROOT::toString);
        r.add("imgstore.demo", () -> "false");
    }

    @LocalServerPort
    int port;

    private static Browser browser;

    @BeforeAll
    static void checkBrowser() {
        Browser.requireChromium();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            T v = probe.get();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private void start() throws java.io.IOException {
        if (browser == null) {
            browser = Browser.start("http://127.0.0.1:" + port);
        }
    }

    @Test
    void theStoreViewerLinksToTheAlignedViewWhereStoresAreAdded() throws Exception {
        start();
        browser.open("/?store=a&frame=5");
        browser.awaitIndex(4); // a lacks 4: frame 5 is index 4
        browser.click("[data-tab=download]");
        String href = browser.await("align link", () -> browser.find("#align-link").getDomAttribute("href"));
        assertThat(href).isEqualTo("/align.html?stores=a&frame=5");
        browser.open(href);
        await("a alone", () -> browser.find("#align-status").getText().contains("aligned frame numbers") ? true : null);
        assertThat(browser.find("#align-stores").getDomProperty("value")).isEqualTo("a");
        assertThat(browser.find("#align-status").getText()).startsWith("9 aligned frame numbers (drop)");
        assertThat(browser.find("#align-row").getText()).startsWith("frame 5");
        // the other stores are offered; the user adds b, picks hold and aligns again
        await("offered stores", () -> browser.findAll("#align-store-list option").size() == 2);
        browser.find("#align-add").sendKeys("b");
        browser.click("#align-add-button");
        assertThat(browser.find("#align-stores").getDomProperty("value")).isEqualTo("a,b");
        browser.js("document.getElementById('align-policy').value = 'hold';");
        browser.click("#align-form button[type=submit]");
        await("a and b", () -> browser.find("#align-status").getText().startsWith("12 aligned") ? true : null);
        assertThat(browser.find("#align-status").getText()).startsWith("12 aligned frame numbers (hold)");
        await("still frame 5", () -> browser.find("#align-row").getText().startsWith("frame 5") ? true : null);
        assertThat(browser.find("#align-row").getText()).contains("a: index 4").contains("b: index 3");
        await("image of a and b", () -> ((Number) browser.js(
                "const i = document.getElementById('align-image'); return i.complete ? i.naturalWidth : 0")).intValue() == 128);
        browser.screenshot("align-from-viewer");
    }

    @Test
    void holdShowsBothStoresSideBySideAndMovesWithTheSlider() throws Exception {
        start();
        browser.open("/align.html?stores=a,b&policy=hold");
        await("alignment", () -> browser.find("#align-status").getText().contains("aligned frame numbers") ? true : null);
        assertThat(browser.find("#align-status").getText()).startsWith("12 aligned frame numbers (hold)");
        await("first image", () -> ((Number) browser.js(
                "const i = document.getElementById('align-image'); return i.complete ? i.naturalWidth : 0")).intValue() == 128);
        // row 4 = frame 4: a holds 3, b has 4
        browser.js("const s = document.getElementById('align-slider'); s.value = '4';"
                + "s.dispatchEvent(new Event('input'));");
        await("row 4", () -> browser.find("#align-row").getText().startsWith("frame 4") ? true : null);
        assertThat(browser.find("#align-row").getText()).contains("(held)").contains("b: index 2");
        browser.screenshot("align-hold");
    }
}
