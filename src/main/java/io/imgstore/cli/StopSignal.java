package io.imgstore.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl+C (SIGINT) and SIGTERM for a recording: a shutdown hook asks the loop to stop and waits
 * (at most {@link #GRACE_SECONDS}) until the command has closed its store, so the last chunk and
 * its index are complete. Close it when the work is done.
 */
final class StopSignal implements AutoCloseable {

    static final long GRACE_SECONDS = 15;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    StopSignal() {
        hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "imgstore-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once the JVM is asked to stop (or {@link #requestStop()} was called). */
    boolean stopRequested() {
        return stop.get();
    }

    /** Asks the loop to stop, as Ctrl+C does. */
    void requestStop() {
        stop.set(true);
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and now sees the work finished
        }
    }
}
