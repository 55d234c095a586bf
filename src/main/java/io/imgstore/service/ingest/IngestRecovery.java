package io.imgstore.service.ingest;

import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreEntry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On start: recovers the stores a killed server left open ({@code .lock}) and reopens those a
 * graceful shutdown closed ({@link ReopenList}), keeping them open in {@link IngestSessions} so that
 * rigs continue where they were. Also starts loading the codec natives ({@link CodecWarmUp}).
 */
@Component
public class IngestRecovery implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRecovery.class);

    private final IngestSessions sessions;
    private final StoreCatalog catalog;

    public IngestRecovery(IngestSessions sessions, StoreCatalog catalog) {
        this.sessions = sessions;
        this.catalog = catalog;
    }

    @Override
    public void run(ApplicationArguments args) {
        recover();
    }

    void recover() {
        CodecWarmUp.start();
        if (!sessions.properties().recoverOnStart() || !sessions.writableRoot()) {
            return;
        }
        if (sessions.spooling()) {
            sessions.finishSpools(); // object storage: leftovers are closed and uploaded, not continued
            return;
        }
        List<String> reopen = sessions.reopenList().read();
        for (StoreEntry e : catalog.list()) {
            boolean locked = e.live();
            boolean listed = reopen.contains(e.path());
            if (!locked && !listed) {
                continue;
            }
            try {
                if (locked) {
                    sessions.recoverAtStart(e);
                } else {
                    sessions.reopen(e);
                }
            } catch (RuntimeException ex) {
                LOG.warn("cannot recover store {}: {}", e.id(), ex.getMessage());
            }
        }
        sessions.reopenList().delete();
    }
}
