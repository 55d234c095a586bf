package io.imgstore.service.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * With {@code imgstore.cluster.idle-release} set: every quarter of it (at least every second), hands over
 * the stores open for writing that no client streamed into for that long ({@link IngestSessions#releaseIdle}),
 * so that a store whose requests the load balancer now sends to another replica (this one was down for a
 * while, or came back) does not stay held here. Runs while the application context runs.
 */
@Component
public class IdleWriterRelease extends PeriodicLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(IdleWriterRelease.class);

    private final IngestSessions sessions;
    private final ClusterProperties props;

    public IdleWriterRelease(IngestSessions sessions, ClusterProperties props) {
        super("ingest-idle-release");
        this.sessions = sessions;
        this.props = props;
    }

    @Override
    long periodMillis() {
        return props.idleRelease().isZero() ? 0 : Math.max(1000, props.idleRelease().toMillis() / 4);
    }

    @Override
    void runOnce() {
        try {
            sessions.releaseIdle(props.idleRelease());
        } catch (RuntimeException e) {
            LOG.warn("idle release failed: {}", e.toString());
        }
    }
}
