package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bounded worker pool: refusal when full, timeouts, and exactly-once release of what a task holds. */
class FrameWorkersTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private FrameWorkers workers;

    private FrameWorkers workers(int threads, int queue, Duration timeout) {
        workers = new FrameWorkers(new FrameWorkerProperties(threads, queue, timeout, 90, 8192, Duration.ofDays(1)), meters);
        return workers;
    }

    @AfterEach
    void stop() {
        workers.shutdown();
    }

    @Test
    void returnsResultsAndReleasesOnTheWorker() {
        FrameWorkers w = workers(2, 4, Duration.ofSeconds(5));
        AtomicInteger released = new AtomicInteger();
        assertThat(w.call(() -> Thread.currentThread().getName(), released::incrementAndGet)).startsWith("frame-worker-");
        assertThat(released).hasValue(1);
        assertThatThrownBy(() -> w.call(() -> {
            throw new IllegalStateException("boom");
        }, released::incrementAndGet)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(released).hasValue(2);
    }

    @Test
    void refusesAtOnceWhenWorkersAndQueueAreFull() throws Exception {
        FrameWorkers w = workers(1, 0, Duration.ofSeconds(5));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        CompletableFuture<String> blocker = CompletableFuture.supplyAsync(() -> w.call(() -> {
            started.countDown();
            unblock.await();
            return "done";
        }, released::incrementAndGet));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> w.call(() -> "never", released::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(released).hasValue(1); // the refused task's resources, released by the caller
        assertThat(meters.counter("imgstore.frames.rejected").count()).isEqualTo(1);
        unblock.countDown();
        assertThat(blocker.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(released).hasValue(2);
    }

    @Test
    void aTaskThatTimesOutInTheQueueNeverRunsAndIsReleasedOnce() throws Exception {
        FrameWorkers w = workers(1, 1, Duration.ofMillis(200));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        CompletableFuture<Void> blocker = CompletableFuture.runAsync(() -> {
            try {
                w.call(() -> {
                    started.countDown();
                    unblock.await();
                    return null;
                }, () -> {
                });
            } catch (RejectedExecutionException expected) {
                // the blocker itself times out too; it keeps running until unblocked
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> w.call(() -> ran.incrementAndGet(), released::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(released).hasValue(1);
        unblock.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        Thread.sleep(100);
        assertThat(ran).hasValue(0);
        assertThat(released).hasValue(1);
    }

    @Test
    void aTaskThatTimesOutWhileRunningReleasesWhenItEnds() throws Exception {
        FrameWorkers w = workers(1, 0, Duration.ofMillis(100));
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        assertThatThrownBy(() -> w.call(() -> {
            unblock.await();
            return null;
        }, released::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        assertThat(released).hasValue(0); // still reading: the store must stay leased
        unblock.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (released.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(released).hasValue(1);
    }
}
