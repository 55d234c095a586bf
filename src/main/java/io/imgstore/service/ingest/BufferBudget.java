package io.imgstore.service.ingest;

import java.util.concurrent.Semaphore;

/**
 * Bytes of parsed frames held by all ingest streams together, waiting for their writer. A stream
 * that would exceed it blocks (and so stops reading its socket) until frames are written: memory
 * stays bounded whatever the number of rigs. Counted in KiB so that large budgets fit an int.
 */
public final class BufferBudget {

    private final int totalKiB;
    private final Semaphore permits;

    public BufferBudget(long maxBytes) {
        this.totalKiB = (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxBytes / 1024));
        this.permits = new Semaphore(totalKiB, true);
    }

    private int kib(long bytes) {
        // a single frame larger than the whole budget still gets through (alone)
        return (int) Math.min(totalKiB, (bytes + 1023) / 1024);
    }

    /** Blocks until {@code bytes} may be held; returns the amount to give back with {@link #release}. */
    public long acquire(long bytes) throws InterruptedException {
        permits.acquire(kib(bytes));
        return bytes;
    }

    public void release(long bytes) {
        if (bytes > 0) {
            permits.release(kib(bytes));
        }
    }

    /** Bytes currently held (for metrics and tests). */
    public long heldBytes() {
        return (long) (totalKiB - permits.availablePermits()) * 1024;
    }
}
