package io.imgstore.service.viewer;

import static io.imgstore.service.viewer.ViewerStores.COLOUR;
import static io.imgstore.service.viewer.ViewerStores.COLOUR_FRAMES;
import static io.imgstore.service.viewer.ViewerStores.GRAY;
import static io.imgstore.service.viewer.ViewerStores.GRAY_FRAMES;
import static io.imgstore.service.viewer.ViewerStores.VIDEO;
import static io.imgstore.service.viewer.ViewerStores.grayNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imgstore.service.catalog.StoreIds;
import io.imgstore.testing.Barcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The viewer end to end in headless Chromium: list, open, scrub (checked by decoding the barcode
 * in the rendered pixels), play, panels, downloads, errors, and a store watched live while frames
 * are pushed through the ingest API (WebSocket, then with WebSockets blocked: polling).
 * Screenshots of each page go to {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerBrowserTest {

    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("viewer-stores-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ViewerStores.create(ROOT);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("imgstore.root", ROOT::toString);
        r.add("imgstore.demo", () -> "false");
    }

    private static Browser browser;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void checkBrowser() {
        Browser.requireChromium();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (browser != null) {
            browser.close();
        }
        try (var walk = Files.walk(ROOT)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Browser browser() throws IOException {
        if (browser == null) {
            browser = Browser.start("http://127.0.0.1:" + port);
        }
        return browser;
    }

    private static String id(String path) {
        return StoreIds.idFor(path);
    }

    private String statusTime(double t) {
        ZoneId zone = ZoneId.of(ZoneId.systemDefault().getId()); // the writer recorded the JVM's zone
        long ms = (long) (t * 1000.0);
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(zone).format(Instant.ofEpochMilli(ms));
    }

    // ---------------------------------------------------------------- list

    @Test
    @Order(1)
    void listShowsEveryStoreNestedByFolderWithFrameCountsAndFilter() throws IOException {
        Browser b = browser();
        b.open("/");
        b.await("six store rows", () -> b.findAll("#store-table tr.store").size() == 6);
        List<String> folders = b.findAll("#store-table tr.folder").stream().map(e -> e.getDomAttribute("data-folder")).toList();
        assertThat(folders).contains("lab", "lab/rig1", "lab/rig2", "video");
        // frame counts and durations come from each store's summary, fetched for visible rows
        b.await("gray store frame count", () -> b.find("tr.store[data-path='" + GRAY + "'] td.frames").getText().equals("300"));
        // the list re-renders rows as summaries arrive: read the row's text in one step, retried if stale
        String row = b.await("gray store row", () -> b.find("tr.store[data-path='" + GRAY + "']").getText());
        assertThat(row).contains("gray_npy", "npy", "160×48", "0:09.97", "2024-05-01");
        assertThat(row).doesNotContain("LIVE");
        b.screenshot("01-store-list");

        b.find("#filter").sendKeys("colour");
        b.await("filtered to one store", () -> b.findAll("#store-table tr.store").size() == 1);
        assertThat(b.find("#list-count").getText()).isEqualTo("1 of 6 stores");
        b.screenshot("02-store-list-filtered");
        b.find("#filter").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        b.await("filter cleared", () -> b.findAll("#store-table tr.store").size() == 6);
    }

    // ---------------------------------------------------------------- open, scrub, jump

    @Test
    @Order(2)
    void openingAStoreShowsItsFirstFrameWithStatusBar() throws IOException {
        Browser b = browser();
        b.open("/");
        b.click("tr.store[data-path='" + GRAY + "']");
        b.awaitIndex(0);
        assertThat(b.driver().getCurrentUrl()).contains("store=" + id(GRAY));
        assertEquals(Barcode.expected(grayNumber(0)), b.decodeShownFrame(), "first frame's pixels");
        String status = b.statusText();
        assertThat(status).contains("frame 1000", "index 0 / 300", statusTime(ViewerStores.time(0)));
        assertThat(b.find("#crumbs").getText()).contains("lab", "rig1", "gray_npy");
        b.screenshot("03-store-first-frame");
    }

    @Test
    @Order(3)
    void scrubbingTheSliderShowsTheFrameAskedFor() throws IOException {
        Browser b = browser();
        b.open("/?store=" + id(GRAY));
        b.awaitIndex(0);
        // drag = input events (JPEG previews), release = change (exact PNG)
        b.js("""
                const s = document.getElementById('slider');
                for (const v of [10, 40, 80, 123]) { s.value = v; s.dispatchEvent(new Event('input')); }
                s.dispatchEvent(new Event('change'));
                """);
        b.awaitIndex(123);
        b.await("exact PNG after release", () -> !b.find("#status-info").getText().contains("jpeg"));
        assertEquals(Barcode.expected(grayNumber(123)), b.decodeShownFrame());
        assertThat(b.statusText()).contains("frame " + grayNumber(123), "index 123 / 300", statusTime(ViewerStores.time(123)));
        b.await("URL holds the frame", () -> b.driver().getCurrentUrl().contains("frame=" + grayNumber(123)));
        b.screenshot("04-scrubbed-to-123");

        // arrow keys step one frame, shift+arrow ten
        b.find("body").sendKeys(Keys.ARROW_RIGHT);
        b.awaitIndex(124);
        assertEquals(Barcode.expected(grayNumber(124)), b.decodeShownFrame());
        b.find("body").sendKeys(Keys.chord(Keys.SHIFT, Keys.ARROW_LEFT));
        b.awaitIndex(114);
        assertEquals(Barcode.expected(grayNumber(114)), b.decodeShownFrame());
        b.find("body").sendKeys(Keys.END);
        b.awaitIndex(GRAY_FRAMES - 1);
        b.find("body").sendKeys(Keys.HOME);
        b.awaitIndex(0);
    }

    @Test
    @Order(4)
    void jumpingToAFrameNumberOrATimeAndSharingTheUrl() throws IOException {
        Browser b = browser();
        b.open("/?store=" + id(GRAY));
        b.awaitIndex(0);
        WebElement number = b.find("#goto-frame-input");
        number.sendKeys("1500", Keys.ENTER);
        b.awaitIndex(250);
        assertEquals(Barcode.expected(1500), b.decodeShownFrame());

        // 5 s after the first frame = index 150
        WebElement time = b.find("#goto-time-input");
        time.sendKeys("0:05", Keys.ENTER);
        b.awaitIndex(150);
        assertEquals(Barcode.expected(grayNumber(150)), b.decodeShownFrame());

        // a local date-time in the store's zone
        String local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                .format(Instant.ofEpochSecond((long) ViewerStores.T0 + 8));
        time.clear();
        time.sendKeys(local, Keys.ENTER);
        b.awaitIndex(240);

        // the URL is shareable: a fresh load shows the same frame
        b.await("URL holds frame 1480", () -> b.driver().getCurrentUrl().contains("frame=1480"));
        String url = b.driver().getCurrentUrl();
        b.driver().get("about:blank");
        b.driver().get(url);
        b.awaitIndex(240);
        assertEquals(Barcode.expected(1480), b.decodeShownFrame());
        b.screenshot("05-shared-url");
    }

    // ---------------------------------------------------------------- play

    @Test
    @Order(5)
    void playingAdvancesFramesAndSpaceToggles() throws IOException, InterruptedException {
        Browser b = browser();
        b.open("/?store=" + id(GRAY));
        b.awaitIndex(0);
        b.find("body").sendKeys(" ");
        b.await("playing", () -> b.find("#btn-play").getText().contains("Pause"));
        Thread.sleep(1000);
        b.find("body").sendKeys(" ");
        b.await("paused", () -> b.find("#btn-play").getText().contains("Play"));
        long after = b.shownIndex();
        System.out.println("viewer: 1 s of playback at 1x (30 fps recording) advanced " + after + " frames");
        // 1x speed of a 30 fps recording: ~30 frames in a second; allow a slow shared CI machine
        assertThat(after).as("frames advanced in one second of playback").isGreaterThanOrEqualTo(5);
        b.await("exact frame once paused", () -> !b.find("#status-info").getText().contains("jpeg"));
        long idx = b.shownIndex();
        assertEquals(Barcode.expected(grayNumber((int) idx)), b.decodeShownFrame(), "paused frame's pixels");
        b.screenshot("06-after-play");

        // max speed plays to the end and stops
        b.js("document.getElementById('speed').value = '0'");
        b.find("#btn-play").click();
        b.await("played to the last frame", Duration.ofSeconds(60), () -> b.shownIndex() == GRAY_FRAMES - 1
                && b.find("#btn-play").getText().contains("Play"));
        assertEquals(Barcode.expected(grayNumber(GRAY_FRAMES - 1)), b.decodeShownFrame());
        b.js("document.getElementById('speed').value = '1'");
    }

    // ---------------------------------------------------------------- colour and video stores

    @Test
    @Order(6)
    void colourFramesAreShownInTheirColoursAndVideoStoresPlay() throws IOException {
        Browser b = browser();
        b.open("/?store=" + id(COLOUR) + "&frame=17");
        b.awaitIndex(17);
        assertEquals(17, b.decodeShownFrame(), "colour frame (R is the inverse of B, G)");
        assertThat(b.statusText()).contains("index 17 / " + COLOUR_FRAMES);
        b.screenshot("07-colour-store");

        b.open("/?store=" + id(VIDEO));
        b.awaitIndex(0);
        b.find("body").sendKeys(Keys.PAGE_DOWN); // +100, clamped to the last frame
        b.awaitIndex(ViewerStores.VIDEO_FRAMES - 1);
        assertEquals(ViewerStores.VIDEO_FRAMES - 1, b.decodeShownFrame());
        b.screenshot("08-video-store");
    }

    // ---------------------------------------------------------------- panels

    @Test
    @Order(7)
    void panelsShowMetadataFrameTableAndExtraDataPlot() throws IOException {
        Browser b = browser();
        b.open("/?store=" + id(GRAY) + "&frame=1020");
        b.awaitIndex(10);

        b.find(".tabs button[data-tab=info]").click();
        b.await("user metadata", () -> b.find("#tab-info").getText().contains("viewer-test"));
        assertThat(b.find("#tab-info").getText()).contains("D. melanogaster", "npy", "160×48", "300");
        b.screenshot("09-panel-info");

        b.find(".tabs button[data-tab=frames]").click();
        b.await("frame table", () -> b.findAll("#tab-frames tbody tr").size() == 100);
        assertThat(b.find("#tab-frames tr.current").getText()).startsWith("10 1020");
        b.findAll("#tab-frames .pager button").get(2).click(); // next page
        b.await("second page", () -> b.find("#tab-frames tbody tr").getText().startsWith("100 1200"));
        b.find("#tab-frames tbody tr[data-index='142']").click();
        b.awaitIndex(142);
        assertEquals(Barcode.expected(grayNumber(142)), b.decodeShownFrame());
        b.screenshot("10-panel-frames");

        b.find(".tabs button[data-tab=extra]").click();
        b.await("extra-data plot", () -> b.find("#extra-plot canvas").isDisplayed());
        assertThat(b.find("#tab-extra").getText()).contains("temperature", "speed", "30 records");
        // click near the right end of the plot: jumps to a late extra-data record's frame
        WebElement over = b.find("#extra-plot .u-over");
        int w = over.getSize().getWidth();
        new Actions(b.driver()).moveToElement(over, w / 2 - 3, 0).click().perform();
        b.await("jumped near the end", () -> b.shownIndex() >= 280);
        long idx = b.shownIndex();
        assertThat(idx % 10).as("extra data was recorded every 10 frames").isZero();
        assertEquals(Barcode.expected(grayNumber((int) idx)), b.decodeShownFrame());
        b.screenshot("11-panel-extra-data");

        b.find(".tabs button[data-tab=download]").click();
        String png = b.await("PNG link", () -> b.find("#dl-png").getDomAttribute("href"));
        assertThat(png).isEqualTo("/stores/" + id(GRAY) + "/frames/" + grayNumber((int) idx));
        assertThat(b.find("#dl-npy").getDomAttribute("href")).endsWith("?format=npy");
        assertThat(b.find("#tab-download pre[data-snippet=curl]").getText()).contains("curl -o", png);
        assertThat(b.find("#tab-download pre[data-snippet=python]").getText()).contains("np.load", "format=npy");
        // the links work
        Object pngType = b.js("return fetch(arguments[0]).then(r => r.status + ' ' + r.headers.get('content-type'))", png);
        assertThat(pngType).isEqualTo("200 image/png");
        Object npyMagic = b.js("return fetch(arguments[0]).then(r => r.arrayBuffer()).then(a => new TextDecoder().decode(new Uint8Array(a).slice(1, 6)))",
                b.find("#dl-npy").getDomAttribute("href"));
        assertThat(npyMagic).isEqualTo("NUMPY");
        // copy puts the snippet on the clipboard
        b.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", "http://127.0.0.1:" + port,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        b.find("#tab-download pre[data-snippet=python] + button").click();
        b.await("copied", () -> b.find("#tab-download pre[data-snippet=python] + button").getText().equals("copied"));
        Object clip = ((org.openqa.selenium.JavascriptExecutor) b.driver)
                .executeAsyncScript("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('ERR ' + e))");
        assertEquals(b.find("#tab-download pre[data-snippet=python]").getText(), clip);
        b.screenshot("12-panel-download");
    }

    // ---------------------------------------------------------------- errors

    @Test
    @Order(8)
    void errorsAreShownInThePage() throws IOException, InterruptedException {
        Browser b = browser();
        b.open("/?store=no~such~store");
        b.await("store-not-found message", () -> b.find("#stage-msg").isDisplayed()
                && b.find("#stage-msg").getText().contains("No such store"));
        assertThat(b.errorsText()).contains("no store");
        b.screenshot("13-error-no-store");

        b.open("/?store=" + id(GRAY));
        b.awaitIndex(0);
        b.find("#goto-frame-input").sendKeys("1001", Keys.ENTER); // numbers are even: 1001 is missing
        b.await("frame-missing banner", () -> b.errorsText().contains("No frame number 1001"));
        assertThat(b.shownIndex()).isZero(); // the last good frame stays
        b.screenshot("14-error-frame-missing");

        // server busy: the next two frame requests get 503 + Retry-After; the viewer says so, then retries
        b.js("""
                const real = window.fetch; let busy = 2;
                window.fetch = (url, init) => {
                  if (String(url).includes('/frames/') && busy-- > 0)
                    return Promise.resolve(new Response(JSON.stringify({title: 'Service Unavailable', status: 503,
                      detail: 'all frame workers are busy; retry shortly'}),
                      {status: 503, headers: {'Content-Type': 'application/problem+json', 'Retry-After': '1'}}));
                  return real(url, init);
                };
                """);
        b.find("#goto-frame-input").clear();
        b.find("#goto-frame-input").sendKeys("1004", Keys.ENTER);
        b.await("busy banner", () -> b.errorsText().contains("busy"));
        b.screenshot("15-error-busy");
        b.awaitIndex(2); // retried after Retry-After
        assertEquals(Barcode.expected(1004), b.decodeShownFrame());
        b.await("busy banner cleared", () -> !b.errorsText().contains("busy"));

        // a store deleted while it is viewed
        Path doomed = ROOT.resolve("tmp/doomed");
        ViewerStores.small(doomed, 5);
        b.open("/?store=" + id("tmp/doomed"));
        b.awaitIndex(0);
        try (var walk = Files.walk(doomed)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        b.find("body").sendKeys(Keys.END); // index 4: not read ahead
        // (the server keeps the deleted store's reader open for a while: its summary still answers, its
        // frames fail with a 500 naming the missing file; a 404 store-not-found says "gone"; when the registry's
        // scan noticed the index files change first, the store is reopened empty: "no frames")
        b.await("store-gone error", () -> b.errorsText().contains("missing") || b.errorsText().contains("gone")
                || b.errorsText().contains("no frames"));
        b.screenshot("16-error-store-gone");
    }

    // ---------------------------------------------------------------- live

    @Test
    @Order(9)
    void watchingAStoreShowsFramesAsTheyArriveOverTheWebSocket() throws Exception {
        watchLive("live/cam1", false, "17-live-websocket");
    }

    @Test
    @Order(10)
    void watchingFallsBackToPollingWhenWebSocketsAreBlocked() throws Exception {
        watchLive("live/cam2", true, "18-live-polling");
    }

    private void watchLive(String path, boolean blockWebSockets, String shot) throws Exception {
        Browser b = browser();
        String id = createLiveStore(path);
        pushFrames(id, 0, 1);
        String scriptId = null;
        if (blockWebSockets) {
            // a proxy that refuses WebSocket upgrades: the socket errors and closes without opening
            Map<String, Object> r = b.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                    window.WebSocket = class {
                      constructor(url) { this.url = url; setTimeout(() => {
                        if (this.onerror) this.onerror(new Event('error'));
                        if (this.onclose) this.onclose({code: 1006, reason: ''}); }, 30); }
                      close() {} send() {}
                    };
                    """));
            scriptId = (String) r.get("identifier");
        }
        try {
            b.open("/");
            b.await("live store listed with LIVE badge", () -> b.find("tr.store[data-path='" + path + "']").getText().contains("LIVE"));
            b.click("tr.store[data-path='" + path + "']");
            b.await("live badge", () -> b.find("#live-badge").isDisplayed());
            b.await("first frame", () -> b.shownNumber() == 0);
            if (blockWebSockets) {
                b.await("polling notice", () -> b.errorsText().contains("polling"));
            }
            Set<Long> seen = new LinkedHashSet<>();
            int last = 30;
            for (int n = 1; n <= last; n++) {
                pushFrames(id, n, 1);
                Thread.sleep(100);
                seen.add(b.shownNumber());
            }
            b.await("newest frame shown", () -> b.shownNumber() == last);
            assertEquals(last, b.decodeShownFrame(), "the newest frame's pixels");
            assertThat(seen).as("frames appeared while they were pushed, not only at the end").hasSizeGreaterThan(3);
            assertThat(b.find("#btn-live").getText()).contains("Following");
            assertThat(b.find("#status").getText()).contains("frame " + last);
            // one frame count everywhere: status bar and info panel (the latest summary, raised by live frames)
            b.await("status bar and info panel agree on the frame count", () -> b.statusText().contains("/ " + (last + 1))
                    && infoFrames(b).equals(String.valueOf(last + 1))
                    && b.find("#tab-info").getText().contains("0 … " + last));
            b.screenshot(shot);

            // scrubbing back while recording (frames read through the read API), then following live again
            b.find("body").sendKeys(Keys.ARROW_LEFT);
            b.awaitIndex(last - 1);
            assertEquals(last - 1, b.decodeShownFrame());
            b.find("body").sendKeys(Keys.HOME);
            b.awaitIndex(0);
            assertEquals(0, b.decodeShownFrame());
            assertThat(b.find("#btn-live").getText()).isEqualTo("Follow live");
            pushFrames(id, last + 1, 1);
            b.find("#btn-live").click();
            b.await("back to the newest frame", () -> b.shownNumber() == last + 1);

            close(id);
            b.await("recording finished notice", Duration.ofSeconds(20), () -> b.errorsText().contains("Recording finished"));
            b.await("live badge gone", () -> !b.find("#live-badge").isDisplayed());
            b.screenshot(shot + "-closed");
        } finally {
            if (scriptId != null) {
                b.driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", scriptId));
            }
        }
    }

    private static String infoFrames(Browser b) {
        return (String) b.js("""
                for (const tr of document.querySelectorAll('#tab-info table.kv tr'))
                  if (tr.querySelector('th').textContent === 'frames') return tr.querySelector('td').textContent;
                return '';
                """);
    }

    // ---------------------------------------------------------------- thumbnails, display range

    @Test
    @Order(11)
    void storeRowsShowAThumbnailOfTheFirstFrame() throws IOException {
        Browser b = browser();
        b.open("/");
        String img = "tr.store[data-path='" + GRAY + "'] td.thumb img";
        b.await("thumbnail loaded", () -> !b.findAll(img).isEmpty()
                && ((Number) b.js("const i = document.querySelector(arguments[0]); return i && i.complete ? i.naturalWidth : 0;", img)).intValue() > 0);
        assertThat(((Number) b.js("return document.querySelector(arguments[0]).naturalHeight;", img)).intValue()).isBetween(1, 40);
        assertThat(b.find(img).getDomAttribute("alt")).contains("gray_npy");
        b.screenshot("20-store-list-thumbnails");
    }

    @Test
    @Order(12)
    void aDim16BitStoreIsShownWithAutoContrast() throws IOException {
        Browser b = browser();
        b.open("/?store=" + id(ViewerStores.DIM16));
        b.awaitIndex(0);
        int expected = Barcode.expected(ViewerStores.dimNumber(0));
        // 16-bit: fetched raw (npy) and shown with auto contrast from the first frame
        b.await("barcode readable on open", () -> b.decodeShownFrame() == expected);
        assertThat(b.find("#range-max").getDomProperty("value")).isEqualTo(String.valueOf(ViewerStores.DIM16_BRIGHT));
        b.screenshot("21-dim16-auto");
        // the full 16-bit range: 4095 of 65535 is nearly black
        b.click("#btn-range-reset");
        b.await("full range", () -> "65535".equals(b.find("#range-max").getDomProperty("value")));
        assertThat(b.decodeShownFrame()).isNotEqualTo(expected);
        b.screenshot("22-dim16-full-range");
        b.click("#btn-auto");
        b.await("auto contrast again", () -> b.decodeShownFrame() == expected);
        // the range is kept while stepping
        b.find("body").sendKeys(Keys.ARROW_RIGHT);
        b.awaitIndex(1);
        b.await("next frame readable", () -> b.decodeShownFrame() == Barcode.expected(ViewerStores.dimNumber(1)));
        // colour: npy holds BGR, the canvas RGB (decodeShownFrame checks that R carries the inverse)
        b.open("/?store=" + id(ViewerStores.DIM16_BGR));
        b.awaitIndex(0);
        b.await("colour barcode readable on open", () -> b.decodeShownFrame() == expected);
        b.screenshot("22b-dim16-bgr-auto");
    }

    @Test
    @Order(13)
    void minAndMaxMapEightBitPixels() throws IOException {
        Browser b = browser();
        b.open("/?store=" + id(ViewerStores.DIM8));
        b.awaitIndex(0);
        int expected = Barcode.expected(ViewerStores.dimNumber(0));
        // identity range: the pixels as stored (60 is below the decoder's threshold)
        assertThat(b.decodeShownFrame()).isNotEqualTo(expected);
        assertThat(maxPixel(b)).isEqualTo(ViewerStores.DIM8_BRIGHT);
        setRange(b, 0, 120);
        b.await("60 of 0..120 shown as 128", () -> maxPixel(b) == 128);
        setRange(b, 0, 60);
        b.await("60 of 0..60 shown as 255", () -> maxPixel(b) == 255);
        assertEquals(expected, b.decodeShownFrame());
        setRange(b, 0, 255);
        b.await("identity again", () -> maxPixel(b) == ViewerStores.DIM8_BRIGHT);
        b.click("#btn-auto");
        b.await("auto contrast", () -> maxPixel(b) == 255);
        assertEquals(expected, b.decodeShownFrame());
        b.screenshot("23-dim8-auto");
    }

    @Test
    @Order(14)
    void aLiveStoresRowInTheListKeepsItsFrameCountCurrent() throws Exception {
        Browser b = browser();
        String path = "live/cam3";
        String id = createLiveStore(path);
        pushFrames(id, 0, 1);
        b.open("/");
        String frames = "tr.store[data-path='" + path + "'] td.frames";
        b.await("one frame listed", () -> b.find(frames).getText().equals("1"));
        pushFrames(id, 1, 4);
        b.await("the row follows the recording", () -> b.find(frames).getText().equals("5"));
        b.await("and shows a preview", () -> !b.findAll("tr.store[data-path='" + path + "'] td.thumb img").isEmpty());
        close(id);
    }

    private static int maxPixel(Browser b) {
        return ((Number) b.js("""
                const c = document.getElementById('frame');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let m = 0; for (let i = 0; i < d.length; i += 4) m = Math.max(m, d[i], d[i + 1], d[i + 2]);
                return m;
                """)).intValue();
    }

    private static void setRange(Browser b, int min, int max) {
        b.js("""
                const lo = document.getElementById('range-min'), hi = document.getElementById('range-max');
                lo.value = arguments[0]; hi.value = arguments[1];
                hi.dispatchEvent(new Event('change'));
                """, min, max);
    }

    private String createLiveStore(String path) throws IOException, InterruptedException {
        String body = "{\"path\":\"" + path + "\",\"format\":\"npy\",\"imgshape\":[" + ViewerStores.H + "," + ViewerStores.W
                + "],\"imgdtype\":\"uint8\",\"chunksize\":20}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stores"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Pushes frames first..first+count-1 as application/x-imgstore-frames records. */
    private void pushFrames(String id, int first, int count) throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = first; n < first + count; n++) {
            byte[] pixels = Barcode.draw(n, ViewerStores.H, ViewerStores.W, 1, io.imgstore.format.PixelType.UINT8).data();
            byte[] header = ("{\"frame_number\":" + n + ",\"frame_time\":" + ViewerStores.time(n)
                    + ",\"payload_length\":" + pixels.length + "}").getBytes(StandardCharsets.UTF_8);
            out.write(ByteBuffer.allocate(4).putInt(header.length).array());
            out.write(header);
            out.write(pixels);
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stores/" + id + "/frames"))
                .header("Content-Type", "application/x-imgstore-frames")
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }

    private void close(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stores/" + id + "/close"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }
}
