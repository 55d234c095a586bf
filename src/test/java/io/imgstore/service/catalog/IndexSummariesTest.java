package io.imgstore.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreIndexSummary;
import io.imgstore.format.StoreSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexSummariesTest {

    @TempDir
    Path root;

    private static void write(ImgStoreWriter w, int from, int to) {
        for (int i = from; i < to; i++) {
            w.addImage(new Image(8, 8, 1, PixelType.UINT8, new byte[64]), i, 100.0 + i);
        }
    }

    private StoreEntry entry(StoreCatalog c, String path) {
        return c.list().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void aSummaryIsReadAgainOnlyWhenAnIndexFileChanges() throws Exception {
        StoreCatalog c = new StoreCatalog(new StoreProperties(root, false, 4, Duration.ofMinutes(1), 1, Duration.ZERO));
        IndexSummaries summaries = new IndexSummaries(c);
        StoreSpec spec = new StoreSpec(StoreFormat.NPY, new int[] {8, 8}, PixelType.UINT8, 5, Map.of(), null, null);
        Path dir = root.resolve("lab/a");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec)) {
            write(w, 0, 3);
        }
        StoreIndexSummary first = summaries.of(entry(c, "lab/a"));
        assertThat(first).isEqualTo(new StoreIndexSummary(3, 100.0, 102.0));
        assertThat(summaries.of(entry(c, "lab/a"))).isSameAs(first); // cached

        // continued (a new chunk with its index): counted again
        try (ImgStoreWriter w = ImgStoreWriter.recover(dir)) {
            write(w, 3, 8);
        }
        assertThat(summaries.of(entry(c, "lab/a"))).isEqualTo(new StoreIndexSummary(8, 100.0, 107.0));

        // an unreadable index: null, not an error for the whole listing
        try (var files = Files.walk(dir)) {
            for (Path npz : files.filter(p -> p.toString().endsWith(".npz")).toList()) {
                Files.writeString(npz, "not a zip");
            }
        }
        assertThat(summaries.of(entry(c, "lab/a"))).isNull();
    }
}
