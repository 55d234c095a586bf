package io.imgstore.service.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.imgstore.format.StoreIndexSummary;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Frame count and time range of listed stores ({@code GET /stores}), read from the index files only
 * ({@link StoreIndexSummary}: no decoder opened) and cached per store until one of its index files
 * changes (name, size or modification time: {@link StoreIndexSummary#stamp}), looked at again at most
 * once per {@code imgstore.scan-interval} (as the listing itself), so that a listing of a large root
 * re-reads only the stores being written. Bounded: at most {@link #MAX_ENTRIES} stores remembered (least recently
 * used dropped), about 200 bytes each.
 */
@Component
public class IndexSummaries {

    /** Most stores whose summary is remembered. */
    public static final int MAX_ENTRIES = 50_000;

    /** A summary, the index stamp it was read at, and when that stamp was last checked (nanoTime). */
    private record Cached(long stamp, StoreIndexSummary summary, long checkedAt) {
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
        long now = System.nanoTime();
        Cached c = cache.getIfPresent(e.dir());
        // checked again at most once per scan interval, as the listing itself
        if (c != null && now - c.checkedAt() < catalog.scanInterval().toNanos()) {
            return c.summary();
        }
        try {
            long stamp = StoreIndexSummary.stamp(catalog.filesFor(e.dir()), e.dir());
            if (c != null && c.stamp() == stamp) {
                cache.put(e.dir(), new Cached(stamp, c.summary(), now));
                return c.summary();
            }
            StoreIndexSummary s = StoreIndexSummary.read(catalog.filesFor(e.dir()), e.dir(), catalog.realRootFor(e.dir()));
            cache.put(e.dir(), new Cached(stamp, s, now));
            return s;
        } catch (RuntimeException ex) { // ImgStoreException: corrupt, or a file outside the root
            return null;
        }
    }
}
