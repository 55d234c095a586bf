package io.imgstore.service.ingest;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers {@code /stores/{id}/ingest} and {@code /stores/{id}/live}. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class IngestWebSocketConfig implements WebSocketConfigurer {

    private final IngestWebSocketHandler ingest;
    private final LiveWebSocketHandler live;

    public IngestWebSocketConfig(IngestWebSocketHandler ingest, LiveWebSocketHandler live) {
        this.ingest = ingest;
        this.live = live;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(ingest, "/stores/{id}/ingest").setAllowedOriginPatterns("*");
        registry.addHandler(live, "/stores/{id}/live").setAllowedOriginPatterns("*");
    }
}
