package io.imgstore.service.catalog;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where stores live and how many stay open: {@code imgstore.*}.
 *
 * @param root            folder holding the stores, at any depth (default {@code ./data/stores}, created on start)
 * @param demo            create a small demo store when the root is empty at start
 * @param registrySize    most stores kept open between requests (LRU)
 * @param registryIdle    an open store unused this long is closed
 * @param decodersPerStore most idle video decoders kept per open store
 * @param scanInterval    how long a listing of the root is reused before the folder is walked again
 */
@Validated
@ConfigurationProperties("imgstore")
public record StoreProperties(
        @NotNull Path root,
        boolean demo,
        @Min(1) int registrySize,
        @NotNull Duration registryIdle,
        @Min(1) int decodersPerStore,
        @NotNull Duration scanInterval) {

    public StoreProperties {
        root = root == null ? Path.of("data", "stores") : root;
        registrySize = registrySize == 0 ? 32 : registrySize;
        registryIdle = registryIdle == null ? Duration.ofMinutes(10) : registryIdle;
        decodersPerStore = decodersPerStore == 0 ? 2 : decodersPerStore;
        scanInterval = scanInterval == null ? Duration.ofSeconds(2) : scanInterval;
    }
}
