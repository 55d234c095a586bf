package io.imgstore.service.ingest;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Ends the ingest streams promptly when the server stops ({@code docker stop}, SIGTERM), before the
 * web server's graceful shutdown waits for requests in progress: a rig's stream never ends by itself,
 * so without this the stop would last until the shutdown phase's timeout and end in SIGKILL.
 *
 * <ol>
 * <li>Streams take no further frame; each writes the frames already queued (complete frames that
 * arrived). A chunked POST is answered 503 {@code /problems/shutting-down} with
 * {@code frames_accepted}; a WebSocket gets that problem and close status 1012 (service restart).</li>
 * <li>Waits up to {@link #STREAMS_WAIT_SECONDS} s for the streams to give their stores back (a POST whose
 * client sends nothing more only notices at its next frame: its store is closed regardless).</li>
 * <li>Closes every open store cleanly (index written, {@code .lock} removed) and lists it for
 * reopening at the next start ({@link ReopenList}, {@link IngestRecovery}).</li>
 * </ol>
 * Runs first among the lifecycles (highest phase), so the connectors still answer meanwhile.
 */
@Component
public class IngestShutdown implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(IngestShutdown.class);
    static final int STREAMS_WAIT_SECONDS = 5;

    private final IngestSessions sessions;
    private final IngestWebSocketHandler webSockets;
    private volatile boolean running;

    public IngestShutdown(IngestSessions sessions, IngestWebSocketHandler webSockets) {
        this.sessions = sessions;
        this.webSockets = webSockets;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        long t0 = System.nanoTime();
        int streaming = (int) sessions.openSessions().stream().filter(WriterSession::streaming).count();
        sessions.beginShutdown();
        webSockets.endAll();
        try {
            if (!sessions.awaitStreamsEnded(t0 + TimeUnit.SECONDS.toNanos(STREAMS_WAIT_SECONDS))) {
                LOG.warn("ingest streams still open after {} s at shutdown: their stores are closed anyway",
                        STREAMS_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessions.shutdown();
        if (streaming > 0) {
            LOG.info("ended {} ingest stream(s) for shutdown in {} ms", streaming,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (which would wait for the never-ending streams). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
