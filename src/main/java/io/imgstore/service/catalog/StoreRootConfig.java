package io.imgstore.service.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link StoreRoot} bean: the local folder {@code imgstore.root} (the only kind of root today). */
@Configuration(proxyBeanMethods = false)
public class StoreRootConfig {

    @Bean
    public StoreRoot storeRoot(StoreProperties properties) {
        return StoreRoot.local(properties.root());
    }
}
