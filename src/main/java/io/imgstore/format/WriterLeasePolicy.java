package io.imgstore.format;

import java.time.Duration;

/**
 * How writers hold their stores' leases (see {@link WriterLeases}).
 *
 * @param ttl                     how long a lease lasts without renewal; another process may take the store
 *                                over once it has passed (default 15 s)
 * @param renewInterval           how often a writer renews its lease (default a third of {@code ttl}); at most
 *                                half of {@code ttl}
 * @param takeOverDeadLocalOwners take over at once, without waiting for the expiry, a lease whose owner ran on
 *                                this machine (same host name and boot id) and whose process is gone: a
 *                                restart after {@code kill -9} continues at once (default true)
 */
public record WriterLeasePolicy(Duration ttl, Duration renewInterval, boolean takeOverDeadLocalOwners) {

    /** The library's default: 15 s, renewed every 5 s, dead local owners taken over at once. */
    public static final WriterLeasePolicy DEFAULT = of(Duration.ofSeconds(15));

    public WriterLeasePolicy {
        if (ttl == null || ttl.toMillis() < 100 || ttl.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("lease ttl must be between 100 ms and a day, got " + ttl);
        }
        if (renewInterval == null || renewInterval.toMillis() < 10 || renewInterval.compareTo(ttl.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("lease renew interval must be between 10 ms and ttl/2, got " + renewInterval);
        }
    }

    /** {@code ttl}, renewed every third of it, dead local owners taken over at once. */
    public static WriterLeasePolicy of(Duration ttl) {
        return new WriterLeasePolicy(ttl, ttl.dividedBy(3), true);
    }

    /**
     * The part of the lease at its end that its owner does not use: a writer stops writing when its lease
     * is closer than this to its expiry without a renewal, so that another process's clock may be this much
     * ahead (a fifth of {@code ttl}: 3 s by default).
     */
    public Duration margin() {
        return ttl.dividedBy(5);
    }
}
