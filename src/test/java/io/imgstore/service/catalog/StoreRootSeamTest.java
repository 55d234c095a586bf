package io.imgstore.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.StoreIndexSummary;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import io.imgstore.testing.InMemoryStoreFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service's catalog, registry and index summaries read the stores through the {@link StoreRoot}
 * they are given: with an in-memory root (no folder on disk), the stores are listed, found by id,
 * summarised and opened, and their frames read, all through the seam.
 */
class StoreRootSeamTest {

    @Test
    void catalogRegistryAndSummariesReadThroughTheStoreRoot() {
        List<Fixtures.Store> fixtures = Fixtures.generated();
        InMemoryStoreFiles files = new InMemoryStoreFiles();
        Path root = InMemoryStoreFiles.ROOT.resolve("root");
        for (Fixtures.Store f : fixtures) {
            files.load(f.dir(), "root/lab/" + f.dir().getFileName());
        }
        files.load(fixtures.get(0).dir(), "root/.hidden/skipped");
        assertThat(Files.exists(root)).isFalse();
        StoreProperties props = new StoreProperties(root, false, 4, Duration.ofMinutes(1), 1, Duration.ZERO);
        StoreCatalog catalog = new StoreCatalog(props, new StoreRoot(files, root));
        assertThat(catalog.files()).isSameAs(files);

        List<StoreEntry> listed = catalog.list();
        assertThat(listed).extracting(StoreEntry::path).containsExactlyElementsOf(fixtures.stream()
                .map(f -> "lab/" + f.dir().getFileName()).sorted().toList());
        assertThat(listed).allSatisfy(e -> assertThat(e.error()).isNull());

        IndexSummaries summaries = new IndexSummaries(catalog);
        StoreRegistry registry = new StoreRegistry(catalog, props, new SimpleMeterRegistry());
        try {
            for (Fixtures.Store f : fixtures) {
                StoreEntry e = catalog.find(catalog.idOf(root.resolve("lab/" + f.dir().getFileName())));
                assertThat(e.storeClass()).isEqualTo(f.storeClass());
                StoreIndexSummary s = summaries.of(e);
                assertThat(s).isEqualTo(StoreIndexSummary.read(f.dir(), null));
                try (StoreRegistry.Lease lease = registry.lease(e.id())) {
                    assertThat(lease.store().files()).isSameAs(files);
                    assertThat(lease.store().frameCount()).isEqualTo(s.frameCount());
                    long last = lease.store().frameCount() - 1;
                    assertThat(Barcode.decode(lease.store().getFrameByIndex(last).image()))
                            .isEqualTo(Barcode.expected(lease.store().frameInfo(last).frameNumber()));
                }
            }
        } finally {
            registry.closeAll();
        }
        assertThatThrownBy(() -> catalog.find("lab~absent")).isInstanceOf(StoreNotInRootException.class);
    }
}
