package io.imgstore.service.ingest;

import io.imgstore.service.catalog.StoreRegistry;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every {@code imgstore.ingest.sync-interval}: forces the journals of open writers that got new
 * frames to disk and refreshes readers of those stores (at most once a tick). Runs while the
 * application context runs; stopped before the sessions close at shutdown.
 */
@Component
public class IngestSyncTicker extends PeriodicLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(IngestSyncTicker.class);

    private final IngestSessions sessions;
    private final StoreRegistry registry;
    private final long intervalMillis;
    private final Map<String, Long> refreshedAt = new HashMap<>();

    public IngestSyncTicker(IngestSessions sessions, StoreRegistry registry) {
        super("ingest-sync");
        this.sessions = sessions;
        this.registry = registry;
        this.intervalMillis = Math.max(10, sessions.properties().syncInterval().toMillis());
    }

    @Override
    long periodMillis() {
        return intervalMillis;
    }

    @Override
    void runOnce() {
        tick();
    }

    void tick() {
        try {
            for (WriterSession s : sessions.openSessions()) {
                if (s.isClosed()) {
                    continue;
                }
                long n = s.frameCount();
                Long last;
                synchronized (refreshedAt) {
                    last = refreshedAt.put(s.id(), n);
                }
                if (last == null || last != n) {
                    s.syncAsync();
                    // readers see the journal-backed open chunk: refresh them at most once a tick
                    registry.invalidate(s.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("ingest sync failed: {}", e.toString());
        }
    }
}
