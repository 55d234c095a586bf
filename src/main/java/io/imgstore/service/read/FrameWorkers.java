package io.imgstore.service.read;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The bounded pool that decodes, converts and encodes frames: {@code imgstore.frames.workers}
 * threads and a queue of {@code imgstore.frames.queue-capacity}. When both are full a task is
 * refused at once with {@link RejectedExecutionException} (answered {@code 503} with
 * {@code Retry-After}); a task that does not finish within {@code imgstore.frames.timeout} is
 * answered the same way (the task itself runs to its end, so it never leaves a store mid-read).
 *
 * <p>Metrics: {@code imgstore.frames.workers.active}, {@code imgstore.frames.workers.queued},
 * {@code imgstore.frames.rejected}.
 */
@Component
public class FrameWorkers {

    private final ThreadPoolExecutor executor;
    private final long timeoutNanos;
    private final Counter rejected;

    public FrameWorkers(FrameWorkerProperties properties, MeterRegistry meters) {
        BlockingQueue<Runnable> queue = properties.queueCapacity() == 0
                ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(properties.queueCapacity());
        this.executor = new ThreadPoolExecutor(properties.workers(), properties.workers(), 60, TimeUnit.SECONDS, queue,
                threadFactory(), new ThreadPoolExecutor.AbortPolicy());
        this.timeoutNanos = properties.timeout().toNanos();
        this.rejected = Counter.builder("imgstore.frames.rejected")
                .description("frame requests refused because workers and queue were full, or timed out")
                .register(meters);
        Gauge.builder("imgstore.frames.workers.active", executor, ThreadPoolExecutor::getActiveCount)
                .description("frame workers busy").register(meters);
        Gauge.builder("imgstore.frames.workers.queued", executor, e -> e.getQueue().size())
                .description("frame requests waiting for a worker").register(meters);
    }

    private static ThreadFactory threadFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "frame-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Runs a task on a worker and waits for its result.
     *
     * @param release run exactly once when the task is done with what it was handed: on the worker
     *                after the task ran, or on the calling thread when the task never started
     *                (refused, timed out in the queue). A task that times out while running keeps
     *                running and releases when it ends, so a store is never closed mid-read.
     * @throws RejectedExecutionException when workers and queue are full, or the task timed out
     */
    public <T> T call(Callable<T> task, Runnable release) {
        AtomicBoolean claimed = new AtomicBoolean();
        Callable<T> wrapped = () -> {
            if (!claimed.compareAndSet(false, true)) {
                throw new CancellationException("given up before it started");
            }
            try {
                return task.call();
            } finally {
                release.run();
            }
        };
        Future<T> future;
        try {
            future = executor.submit(wrapped);
        } catch (RejectedExecutionException e) {
            rejected.increment();
            release.run();
            throw new RejectedExecutionException("all frame workers are busy");
        }
        try {
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            giveUp(future, claimed, release);
            rejected.increment();
            throw new RejectedExecutionException("frame not ready in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp(future, claimed, release);
            throw new RejectedExecutionException("interrupted while waiting for a frame worker");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static void giveUp(Future<?> future, AtomicBoolean claimed, Runnable release) {
        // never interrupt: an interrupt closes file channels under a reader
        future.cancel(false);
        if (claimed.compareAndSet(false, true)) {
            release.run();
        }
    }

    /** Threads busy right now. */
    public int active() {
        return executor.getActiveCount();
    }

    /** Tasks waiting for a thread right now. */
    public int queued() {
        return executor.getQueue().size();
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
