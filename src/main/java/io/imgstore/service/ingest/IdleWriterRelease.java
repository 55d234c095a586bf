package io.imgstore.service.ingest;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * With {@code imgstore.cluster.idle-release} set: every quarter of it (at least every second), hands over
 * the stores open for writing that no client streamed into for that long ({@link IngestSessions#releaseIdle}),
 * so that a store whose requests the load balancer now sends to another replica (this one was down for a
 * while, or came back) does not stay held here. Runs while the application context runs.
 */
@Component
public class IdleWriterRelease implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(IdleWriterRelease.class);

    private final IngestSessions sessions;
    private final ClusterProperties props;
    private ScheduledExecutorService ticker;

    public IdleWriterRelease(IngestSessions sessions, ClusterProperties props) {
        this.sessions = sessions;
        this.props = props;
    }

    @Override
    public synchronized void start() {
        if (ticker != null || props.idleRelease().isZero()) {
            return;
        }
        long every = Math.max(1000, props.idleRelease().toMillis() / 4);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-idle-release");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(() -> {
            try {
                sessions.releaseIdle(props.idleRelease());
            } catch (RuntimeException e) {
                LOG.warn("idle release failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return ticker != null;
    }
}
