package io.imgstore.service.catalog;

import io.imgstore.format.storage.s3.S3Location;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

/**
 * Where stores live and how many stay open: {@code imgstore.*}.
 *
 * @param root            where the stores are, at any depth: a folder (default {@code ./data/stores}, created on
 *                        start) or {@code s3://bucket/prefix} (object storage, {@code imgstore.s3.*}; read-only)
 * @param demo            create a small demo store when the root is empty at start
 * @param registrySize    most stores kept open between requests (LRU)
 * @param registryIdle    an open store unused this long is closed
 * @param decodersPerStore most idle video decoders kept per open store
 * @param scanInterval    how long a listing of the root is reused before the folder is walked again
 */
@Validated
@ConfigurationProperties("imgstore")
public record StoreProperties(
        @NotBlank String root,
        boolean demo,
        @Min(1) int registrySize,
        @NotNull Duration registryIdle,
        @Min(1) int decodersPerStore,
        @NotNull Duration scanInterval) {

    @ConstructorBinding
    public StoreProperties {
        root = root == null || root.isBlank() ? Path.of("data", "stores").toString() : root.trim();
        registrySize = registrySize == 0 ? 32 : registrySize;
        registryIdle = registryIdle == null ? Duration.ofMinutes(10) : registryIdle;
        decodersPerStore = decodersPerStore == 0 ? 2 : decodersPerStore;
        scanInterval = scanInterval == null ? Duration.ofSeconds(2) : scanInterval;
    }

    /** A local folder root (tests, tools). */
    public StoreProperties(Path root, boolean demo, int registrySize, Duration registryIdle, int decodersPerStore,
            Duration scanInterval) {
        this(root == null ? null : root.toString(), demo, registrySize, registryIdle, decodersPerStore, scanInterval);
    }

    /** True when {@link #root} names object storage ({@code s3://...}). */
    public boolean isS3() {
        return S3Location.isS3(root);
    }

    /**
     * The root as a local folder.
     *
     * @throws IllegalStateException when the root is in object storage
     */
    public Path localRoot() {
        if (isS3()) {
            throw new IllegalStateException("imgstore.root " + root + " is not a local folder");
        }
        return Path.of(root);
    }
}
