package io.imgstore.service.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imgstore.testing.Ci;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Selenium through Debian's chromedriver (never a downloaded
 * browser). Absent locally: tests are skipped; absent in CI ({@code CI=true}): they fail.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private Browser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** Skips (locally) or fails (CI) when Chromium is not installed. */
    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        Ci.require(present, "CI=true but " + CHROMIUM + " / " + CHROMEDRIVER
                + " are missing: .ci/run must install Debian's chromium and chromium-driver",
                "Chromium not installed (apt-get install chromium chromium-driver)");
    }

    static Browser start(String baseUrl) throws IOException {
        requireChromium();
        Path profile = Files.createTempDirectory("viewer-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
                "--window-size=1400,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Browser(driver, profile, baseUrl);
    }

    void open(String pathAndQuery) {
        driver.get(base + pathAndQuery);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for a condition, failing with a message that says what the page showed. */
    <T> T await(String what, Duration timeout, Supplier<T> condition) {
        try {
            return new WebDriverWait(driver, timeout).ignoring(RuntimeException.class).until(d -> {
                T v = condition.get();
                return v instanceof Boolean b && !b ? null : v;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("FAILED-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw new AssertionError("timed out waiting for " + what + "; status bar: '" + statusText()
                    + "', errors: '" + errorsText() + "'", e);
        }
    }

    <T> T await(String what, Supplier<T> condition) {
        return await(what, Duration.ofSeconds(20), condition);
    }

    /** Clicks an element, finding it again if the page re-rendered it in between. */
    void click(String css) {
        await("click " + css, () -> {
            find(css).click();
            return true;
        });
    }

    String statusText() {
        try {
            return find("#status").getText();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    String errorsText() {
        try {
            return find("#errors").getText();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** The status bar's frame index, or -1 while none is shown. */
    long shownIndex() {
        String v = find("#status").getDomAttribute("data-frame-index");
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    long shownNumber() {
        String v = find("#status").getDomAttribute("data-frame-number");
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    void awaitIndex(long index) {
        await("frame index " + index, () -> shownIndex() == index);
    }

    /**
     * Reads the rendered frame's pixels from the page's canvas and decodes the barcode drawn into
     * the test frames (16 bands, MSB left, bright = 1). Colour frames must show B and G as the
     * bands and R as their inverse (i.e. the viewer got BGR -> RGB right).
     */
    int decodeShownFrame() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) js("""
                const c = document.getElementById('frame');
                const w = c.width, h = c.height;
                const d = c.getContext('2d').getImageData(0, 0, w, h).data;
                const bands = [];
                for (let b = 0; b < 16; b++) {
                  const x0 = Math.ceil(b * w / 16 + w / 64), x1 = Math.max(x0 + 1, Math.floor(b * w / 16 + 3 * w / 64));
                  const sum = [0, 0, 0]; let n = 0;
                  for (let y = Math.floor(h / 4); y < Math.max(Math.floor(h / 4) + 1, Math.floor(3 * h / 4)); y++)
                    for (let x = x0; x < x1; x++) { const i = (y * w + x) * 4; sum[0] += d[i]; sum[1] += d[i + 1]; sum[2] += d[i + 2]; n++; }
                  bands.push(sum.map(s => s / n));
                }
                return {w, h, bands};
                """);
        @SuppressWarnings("unchecked")
        List<List<Number>> bands = (List<List<Number>>) r.get("bands");
        int red = 0;
        int green = 0;
        int blue = 0;
        boolean colour = false;
        for (List<Number> band : bands) {
            boolean rb = band.get(0).doubleValue() > 127;
            boolean gb = band.get(1).doubleValue() > 127;
            boolean bb = band.get(2).doubleValue() > 127;
            red = (red << 1) | (rb ? 1 : 0);
            green = (green << 1) | (gb ? 1 : 0);
            blue = (blue << 1) | (bb ? 1 : 0);
            colour |= rb != gb;
        }
        if (colour) {
            assertEquals(blue, green, "colour frame: G and B must both carry the barcode");
            assertEquals(blue, ~red & 0xffff, "colour frame: R must carry the inverse barcode (BGR/RGB swapped?)");
        } else {
            assertEquals(red, green, "gray frame shown with unequal channels");
        }
        return blue;
    }

    /** Saves a screenshot as target/screenshots/NAME.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path out = SCREENSHOTS.resolve(name + ".png");
            Files.copy(f.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    WebDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp profile left behind
            }
        }
    }
}
