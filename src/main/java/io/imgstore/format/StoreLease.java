package io.imgstore.format;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A writer's lease on a store whose lease generations live in any {@link LeaseFiles} (object storage:
 * {@code io.imgstore.format.storage.s3.S3LeaseFiles}), for writers other than {@link ImgStoreWriter}
 * (which holds one in its store folder by itself). The protocol is the one of
 * {@link ImgStoreWriter}'s leases ({@code WriterLease}, docs/deployment.md, "Cluster"); the policy is
 * the process's ({@link WriterLeases#policy()}). The lease is renewed in the background every
 * {@link WriterLeasePolicy#renewInterval()} until {@link #close()}.
 *
 * <p>Call {@link #check()} before every write: once the lease is lost (taken over, or its renewal
 * overdue) it throws and nothing more may be written.
 */
public final class StoreLease implements AutoCloseable {

    /** Stores held in this JVM: the lease cannot tell two holders of one process apart (see {@link #acquire}). */
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();
    /**
     * Renewals of these leases, apart from the renewals of {@link ImgStoreWriter}s' local leases: a slow
     * remote storage must not delay those. Two threads: one slow store delays the others by at most one
     * request timeout of its storage.
     */
    private static final ScheduledExecutorService RENEWER = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "imgstore-store-lease-renewer");
        t.setDaemon(true);
        return t;
    });

    private final WriterLease lease;
    private final String store;
    private final String owner;
    private final ScheduledFuture<?> renewal;
    private volatile boolean renewing = true;

    private StoreLease(WriterLease lease, String store, String owner) {
        this.lease = lease;
        this.store = store;
        this.owner = owner;
        long every = WriterLeases.policy().renewInterval().toMillis();
        this.renewal = RENEWER.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lease of a store, with a new owner id of this process and the system clock.
     *
     * @param files where the store's lease generations live
     * @param store the store's identity in this JVM and its name in messages, e.g. its {@code s3://} URI
     *              ({@code S3LeaseFiles#name()}): a second acquire of the same name in this process is
     *              refused while the first is held, because a lease whose owner is this process counts as
     *              left by a dead process of this machine when the policy takes those over
     * @throws StoreLockedException when another owner holds it (or the storage failed)
     */
    public static StoreLease acquire(LeaseFiles files, String store) {
        Objects.requireNonNull(files, "files");
        if (!HELD.add(Objects.requireNonNull(store, "store"))) {
            throw new StoreLockedException("store " + store + " is already open for writing in this process");
        }
        try {
            LeaseOwner me = LeaseOwner.newOwner();
            WriterLease lease = WriterLease.acquire(files, me, Clock.systemUTC(), WriterLeases.policy(), store);
            return new StoreLease(lease, store, me.id());
        } catch (RuntimeException e) {
            HELD.remove(store);
            throw e;
        }
    }

    private void renew() {
        if (renewing && !lease.renew()) {
            renewing = false;
            throw new IllegalStateException("lease lost"); // ends this periodic task (scheduleWithFixedDelay)
        }
    }

    /** This holder's owner id, as written in the lease: {@code host:boot:pid:random}. */
    public String owner() {
        return owner;
    }

    /** The lease generation held. */
    public long generation() {
        return lease.generation();
    }

    /**
     * Before every write.
     *
     * @throws LeaseLostException when the lease is lost or its renewal overdue: nothing may be written
     */
    public void check() {
        lease.check();
    }

    /** True once the lease is lost (this holder writes nothing more). */
    public boolean isLost() {
        return lease.isLost();
    }

    /** Renews now instead of at the next interval. False when the lease is lost. */
    public boolean renewNow() {
        return lease.renew();
    }

    /** Drops the lease without releasing it, as a crash would: it expires by itself. Idempotent. */
    public void abandon() {
        stop();
        lease.abandon();
    }

    /** Releases the lease (marked released, so the next writer need not wait) unless it was lost. Idempotent. */
    @Override
    public void close() {
        stop();
        if (lease.isLost()) {
            lease.abandon();
        } else {
            lease.release();
        }
    }

    private void stop() {
        renewing = false;
        renewal.cancel(false);
        HELD.remove(store);
    }
}
