package io.imgstore.service.read;

import static io.imgstore.service.read.HttpTestSupport.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.testing.ServiceIntegrationTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** One frame worker, no queue: while it is busy, frame requests get 503 at once; after, 200 again. */
@ServiceIntegrationTest
class FrameWorkersSaturationIntegrationTests {

    static final Path ROOT = TestStores.tempRoot("imgstore-read-busy");

    static {
        TestStores.write(ROOT.resolve("s"), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 4, 0, 1);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("imgstore.root", ROOT::toString);
        r.add("imgstore.demo", () -> "false");
        r.add("imgstore.frames.workers", () -> "1");
        r.add("imgstore.frames.queue-capacity", () -> "0");
    }

    @LocalServerPort
    int port;

    @Autowired
    FrameWorkers workers;

    @Test
    void saturatedWorkersAnswer503WithRetryAfter() throws Exception {
        HttpTestSupport http = new HttpTestSupport(port);
        assertThat(http.get("/stores/s/frames/1").statusCode()).isEqualTo(200);

        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = CompletableFuture.supplyAsync(() -> workers.call(() -> {
            busy.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }, () -> {
        }));
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.get("/stores/s/frames/" + (i % 4));
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
                assertThat(header(r, "Content-Type")).isEqualTo("application/problem+json");
                assertThat(header(r, "Retry-After")).isEqualTo("1");
                assertThat(HttpTestSupport.text(r)).contains("/problems/busy");
            }
            // requests that need no decoding still work
            assertThat(http.get("/stores/s").statusCode()).isEqualTo(200);
            assertThat(http.get("/stores/s/frames/99").statusCode()).isEqualTo(404);
            assertThat(http.json("/actuator/metrics/imgstore.frames.rejected").get("measurements").get(0).get("value")
                    .asDouble()).isGreaterThanOrEqualTo(5);
        } finally {
            release.countDown();
        }
        blocker.get(10, TimeUnit.SECONDS);
        assertThat(http.get("/stores/s/frames/1").statusCode()).isEqualTo(200);
    }
}
