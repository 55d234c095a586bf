package io.imgstore.service.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link StoreRoot} bean: {@code imgstore.root}, a local folder or {@code s3://bucket/prefix}
 * (object storage through {@code S3StoreFiles}, configured by {@code imgstore.s3.*}), taken from the
 * {@link RootStorage} bean, which owns the S3 client.
 */
@Configuration(proxyBeanMethods = false)
public class StoreRootConfig {

    @Bean
    public RootStorage rootStorage(StoreProperties properties, S3Properties s3) {
        return RootStorage.of(properties, s3);
    }

    @Bean
    public StoreRoot storeRoot(RootStorage storage) {
        return storage.root();
    }
}
