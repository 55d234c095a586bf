package io.imgstore.service.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.imgstore.format.StoreIndexSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.springframework.stereotype.Component;

/**
 * Frame count and time range of listed stores ({@code GET /stores}), read from the index files only
 * ({@link StoreIndexSummary}: no decoder opened) and cached per store until one of its index files
 * changes (name, size or modification time), so that a listing of a large root re-reads only the
 * stores being written. Bounded: at most {@link #MAX_ENTRIES} stores remembered (least recently
 * used dropped), about 200 bytes each.
 */
@Component
public class IndexSummaries {

    /** Most stores whose summary is remembered. */
    public static final int MAX_ENTRIES = 50_000;

    private record Cached(long fingerprint, StoreIndexSummary summary) {
    }

    private final StoreCatalog catalog;
    private final Cache<Path, Cached> cache = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    public IndexSummaries(StoreCatalog catalog) {
        this.catalog = catalog;
    }

    /** The store's summary, or null when its metadata or an index cannot be read. */
    public StoreIndexSummary of(StoreEntry e) {
        if (e.error() != null) {
            return null;
        }
        try {
            long fp = fingerprint(e.dir());
            Cached c = cache.getIfPresent(e.dir());
            if (c != null && c.fingerprint() == fp) {
                return c.summary();
            }
            StoreIndexSummary s = StoreIndexSummary.read(e.dir(), catalog.realRoot());
            cache.put(e.dir(), new Cached(fp, s));
            return s;
        } catch (IOException | RuntimeException ex) { // ImgStoreException: corrupt or outside the root
            return null;
        }
    }

    private static long fingerprint(Path dir) throws IOException {
        long h = 1;
        for (Path f : StoreIndexSummary.indexFiles(dir)) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            h = 31 * h + f.getFileName().hashCode();
            h = 31 * h + f.getParent().getFileName().hashCode();
            h = 31 * h + a.size();
            h = 31 * h + a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return h;
    }
}
