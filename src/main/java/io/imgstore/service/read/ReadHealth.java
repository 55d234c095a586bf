package io.imgstore.service.read;

import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreRegistry;
import java.nio.file.Files;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/stores}: DOWN when the store root cannot be read; details give open
 * stores and frame worker load.
 */
@Component("storesHealthIndicator")
class ReadHealth implements HealthIndicator {

    private final StoreCatalog catalog;
    private final StoreRegistry registry;
    private final FrameWorkers workers;

    ReadHealth(StoreCatalog catalog, StoreRegistry registry, FrameWorkers workers) {
        this.catalog = catalog;
        this.registry = registry;
        this.workers = workers;
    }

    @Override
    public Health health() {
        // object storage: the bucket is checked by the storeRoot component (a prefix without objects is no folder)
        boolean readable = catalog.files().localFile(catalog.root()).isEmpty()
                || Files.isDirectory(catalog.root()) && Files.isReadable(catalog.root());
        Health.Builder b = readable ? Health.up() : Health.down().withDetail("error", "store root not readable");
        return b.withDetail("open_stores", registry.openStores())
                .withDetail("frame_workers_active", workers.active())
                .withDetail("frame_workers_queued", workers.queued())
                .build();
    }
}
