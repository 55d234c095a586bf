package io.imgstore.service.ingest;

import io.imgstore.format.WriterLeases;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreEntry;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On start: recovers the stores a killed server left open ({@code .lock}) and reopens those a
 * graceful shutdown closed ({@link ReopenList}), keeping them open in {@link IngestSessions} so that
 * rigs continue where they were. Also starts loading the codec natives ({@link CodecWarmUp}).
 *
 * <p>Replicas share the root: a store whose writer's lease is still held (another replica is writing it,
 * or one that died has not lost its lease yet) is left alone; a client's next request for it recovers it
 * once the lease has expired ({@link IngestSessions#session}).
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
            Optional<String> holder = WriterLeases.holder(e.dir());
            if (holder.isPresent()) {
                LOG.info("store {} is not recovered: its lease is held by {}", e.id(), holder.get());
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
