package io.imgstore.service.read;

import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.testing.ServiceIntegrationTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The running service on a random port over a temporary root holding a few small stores. The
 * registry keeps only 2 stores open, so tests that touch several stores evict readers all the time.
 * Subclasses share one application context.
 */
@ServiceIntegrationTest
abstract class ReadIntegrationTestBase {

    static final Path ROOT = TestStores.tempRoot("imgstore-read-it");
    /** 20 gray 8-bit png frames 48x128, numbers 100, 102, ... 138, chunks of 7. */
    static final String GRAY = "plain/gray8_png";
    /** 20 colour npy frames 48x128x3, numbers -5 .. 14, chunks of 8. */
    static final String COLOR = "plain/color_npy";
    /** 10 gray 16-bit png frames 48x128, numbers 0..9, nested a few folders deep. */
    static final String U16 = "deep/a/b/u16_png";
    /** A store without frames. */
    static final String EMPTY = "empty_npy";
    /** A path that is not plain: its id is base64. */
    static final String WEIRD = "odd names/rig ü 1";

    static {
        TestStores.write(ROOT.resolve(GRAY), StoreFormat.PNG, 48, 128, 1, PixelType.UINT8, 7, 20, 100, 2);
        TestStores.write(ROOT.resolve(COLOR), StoreFormat.NPY, 48, 128, 3, PixelType.UINT8, 8, 20, -5, 1);
        TestStores.write(ROOT.resolve(U16), StoreFormat.PNG, 48, 128, 1, PixelType.UINT16, 4, 10, 0, 1);
        TestStores.write(ROOT.resolve(EMPTY), StoreFormat.NPY, 8, 16, 1, PixelType.UINT8, 4, 0, 0, 1);
        TestStores.write(ROOT.resolve(WEIRD), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 3, 1, 1);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("imgstore.root", ROOT::toString);
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.registry-size", () -> "2");
        r.add("imgstore.scan-interval", () -> "0s");
    }

    @LocalServerPort
    int port;

    HttpTestSupport http;

    @BeforeEach
    void client() {
        http = new HttpTestSupport(port);
    }

    static String id(String path) {
        return io.imgstore.service.catalog.StoreIds.idFor(path);
    }
}
