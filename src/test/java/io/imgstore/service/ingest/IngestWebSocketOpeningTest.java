package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * A close asked while a WebSocket connection to the store has been answered but has not opened its
 * stream yet waits for it (bounded); other stores' closes do not wait.
 */
class IngestWebSocketOpeningTest {

    private final IngestWebSocketHandler handler = new IngestWebSocketHandler(null, null);
    private final HandshakeInterceptor counter = handler.openingCounter();
    private final ServerHttpRequest request = new ServletServerHttpRequest(new MockHttpServletRequest("GET",
            "/stores/rig1/ingest"));
    private final ServerHttpResponse response = new ServletServerHttpResponse(new MockHttpServletResponse());

    private static long millis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void aCloseWaitsForTheOpeningConnectionOfItsStoreOnly() throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        assertThat(counter.beforeHandshake(request, response, handler, attributes)).isTrue();
        long t0 = System.nanoTime();
        handler.awaitOpened("other", 5_000);
        assertThat(millis(t0)).as("another store's close").isLessThan(1_000);

        Thread opens = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handler.opened(attributes); // afterConnectionEstablished, whether the stream opened or not
        });
        t0 = System.nanoTime();
        opens.start();
        handler.awaitOpened("rig1", 5_000);
        assertThat(millis(t0)).as("waited for the connection").isBetween(250L, 4_500L);
        opens.join();

        t0 = System.nanoTime();
        handler.awaitOpened("rig1", 5_000);
        assertThat(millis(t0)).as("nothing opening any more").isLessThan(1_000);
    }

    @Test
    void aConnectionThatNeverOpensDelaysACloseOnlyBoundedly() throws Exception {
        counter.beforeHandshake(request, response, handler, new HashMap<>());
        long t0 = System.nanoTime();
        handler.awaitOpened("rig1", 200);
        assertThat(millis(t0)).isBetween(150L, 3_000L);
    }
}
