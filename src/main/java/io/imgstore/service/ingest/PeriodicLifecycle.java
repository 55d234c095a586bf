package io.imgstore.service.ingest;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * One task run at a fixed delay on its own daemon thread while the application context runs: the
 * start/stop shared by ingest's periodic work ({@link IngestSyncTicker}, {@link IdleWriterRelease}).
 * The task must catch its own failures (an exception would end the schedule).
 */
abstract class PeriodicLifecycle implements SmartLifecycle {

    private final String threadName;
    private ScheduledExecutorService ticker;

    PeriodicLifecycle(String threadName) {
        this.threadName = threadName;
    }

    /** Milliseconds between the end of one run and the start of the next; 0 or less: never run. */
    abstract long periodMillis();

    /** One run of the task. */
    abstract void runOnce();

    @Override
    public synchronized void start() {
        long every = periodMillis();
        if (ticker != null || every <= 0) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
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
