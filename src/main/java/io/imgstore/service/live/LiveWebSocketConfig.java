package io.imgstore.service.live;

import io.imgstore.service.security.SecurityProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers {@code /stores/{id}/live}; origins: {@code imgstore.security.allowed-origins}. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class LiveWebSocketConfig implements WebSocketConfigurer {

    private final LiveWebSocketHandler live;

    private final String[] allowedOrigins;

    public LiveWebSocketConfig(LiveWebSocketHandler live, SecurityProperties security) {
        this.live = live;
        this.allowedOrigins = security.allowedOrigins().toArray(String[]::new);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // same origin and clients without Origin (rigs) always; other browser origins only when listed
        // (the security chain refuses them first, with problem+json: StoreAccessRules)
        registry.addHandler(live, "/stores/{id}/live").setAllowedOriginPatterns(allowedOrigins);
    }
}
