package io.imgstore.service.ingest;

import io.imgstore.service.security.SecurityProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers {@code /stores/{id}/ingest}; origins: {@code imgstore.security.allowed-origins}. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class IngestWebSocketConfig implements WebSocketConfigurer {

    private final IngestWebSocketHandler ingest;

    private final String[] allowedOrigins;

    public IngestWebSocketConfig(IngestWebSocketHandler ingest, SecurityProperties security) {
        this.ingest = ingest;
        this.allowedOrigins = security.allowedOrigins().toArray(String[]::new);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // same origin and clients without Origin (rigs) always; other browser origins only when listed
        // (the security chain refuses them first, with problem+json: StoreAccessRules)
        registry.addHandler(ingest, "/stores/{id}/ingest").setAllowedOriginPatterns(allowedOrigins)
                .addInterceptors(ingest.openingCounter());
    }
}
