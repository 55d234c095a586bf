package io.imgstore.service.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.imgstore.format.ImgStore;
import io.imgstore.format.StoreIndexSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Open stores, kept between requests and evicted least-recently-used (Caffeine) when over
 * {@code imgstore.registry-size} or idle for {@code imgstore.registry-idle}. Callers take a
 * {@link Lease} and close it after the read: an evicted store is closed only once its last lease
 * is returned, so eviction never closes a reader mid-read.
 *
 * <p>Metrics: {@code cache.*{cache=stores}} (hits, misses, evictions, size) and
 * {@code imgstore.registry.open} (stores open, including evicted ones still leased).
 */
@Component
public class StoreRegistry {

    private final StoreCatalog catalog;
    private final int decodersPerStore;
    private final long recheckNanos;
    private final Cache<String, Handle> cache;
    private final AtomicInteger open = new AtomicInteger();

    public StoreRegistry(StoreCatalog catalog, StoreProperties properties, MeterRegistry meters) {
        this.catalog = catalog;
        this.decodersPerStore = properties.decodersPerStore();
        this.recheckNanos = properties.scanInterval().toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.registrySize())
                .expireAfterAccess(properties.registryIdle())
                .recordStats()
                .removalListener((String id, Handle h, RemovalCause cause) -> {
                    if (h != null) {
                        h.retire();
                    }
                })
                .build();
        CaffeineCacheMetrics.monitor(meters, cache, "stores");
        Gauge.builder("imgstore.registry.open", open, AtomicInteger::get)
                .description("stores open (cached or still leased)").register(meters);
    }

    /** A store in use; close to give it back. */
    public final class Lease implements AutoCloseable {
        private final Handle handle;
        private boolean returned;

        private Lease(Handle handle) {
            this.handle = handle;
        }

        public ImgStore store() {
            return handle.store;
        }

        public StoreEntry entry() {
            return handle.entry;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                handle.release();
            }
        }
    }

    private final class Handle {
        final StoreEntry entry;
        final ImgStore store;
        /** The index files' sizes and times when opened ({@link StoreIndexSummary#stamp}); 0 for stores not being written. */
        private final long stamp;
        private volatile long checkedAt = System.nanoTime();
        private int leases;
        private boolean retired;

        Handle(StoreEntry entry, ImgStore store, long stamp) {
            this.entry = entry;
            this.store = store;
            this.stamp = stamp;
            open.incrementAndGet();
        }

        /**
         * Whether another process has written the store since it was opened (a writer outside this
         * server: {@code imgstore save}, Python imgstore): checked at most once per scan interval, and
         * only for stores that were being written when opened or are now, so closed stores cost nothing.
         */
        boolean stale() {
            long now = System.nanoTime();
            if (now - checkedAt < recheckNanos) {
                return false;
            }
            checkedAt = now;
            if (stamp == 0 && !catalog.isBeingWritten(entry.dir())) {
                return false;
            }
            return StoreIndexSummary.stamp(catalog.filesFor(entry.dir()), entry.dir()) != stamp;
        }

        synchronized boolean acquire() {
            if (retired) {
                return false;
            }
            leases++;
            return true;
        }

        void release() {
            boolean close;
            synchronized (this) {
                leases--;
                close = retired && leases == 0;
            }
            if (close) {
                doClose();
            }
        }

        void retire() {
            boolean close;
            synchronized (this) {
                if (retired) {
                    return;
                }
                retired = true;
                close = leases == 0;
            }
            if (close) {
                doClose();
            }
        }

        private void doClose() {
            store.close();
            open.decrementAndGet();
        }
    }

    /**
     * Leases the store with this id, opening it if it is not open.
     *
     * @throws StoreNotInRootException when the id names no store
     * @throws io.imgstore.format.ImgStoreException when the store cannot be opened
     */
    public Lease lease(String id) {
        for (int attempt = 0; attempt < 16; attempt++) {
            Handle h = cache.get(id, key -> {
                StoreEntry entry = catalog.find(key);
                long stamp = catalog.isBeingWritten(entry.dir())
                        ? StoreIndexSummary.stamp(catalog.filesFor(entry.dir()), entry.dir()) : 0;
                return new Handle(entry, ImgStore.open(entry.dir(), catalog.filesFor(entry.dir()), decodersPerStore,
                        catalog.realRootFor(entry.dir())), stamp);
            });
            if (h.stale()) {
                cache.asMap().remove(id, h);
                continue;
            }
            if (h.acquire()) {
                return new Lease(h);
            }
            cache.asMap().remove(id, h);
        }
        throw new IllegalStateException("store " + id + " keeps being evicted");
    }

    /** Closes the open reader of a store (after it changed on disk); the next lease reopens it. */
    public void invalidate(String id) {
        cache.invalidate(id);
    }

    /** Stores open right now (for tests and health). */
    public int openStores() {
        return open.get();
    }

    @PreDestroy
    public void closeAll() {
        cache.invalidateAll();
        cache.cleanUp();
    }
}
