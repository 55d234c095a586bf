package io.imgstore.format;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A writer's lease on a store, across processes and machines that share the store's folder (where OS
 * file locks may not reach, e.g. NFS between machines). Package-private: held by {@link WriterLock} (local
 * folders) and {@link StoreLease} (any {@link LeaseFiles}, e.g. object storage).
 *
 * <h2>Protocol</h2>
 * The lease is a sequence of generations ({@link LeaseFiles}); the highest one present is the current
 * lease. A record says who holds it until when, or that it was released.
 * <ul>
 *   <li><b>Acquire</b>: read the highest generation {@code g}. Held (not released, not expired by our
 *       clock, owner not certainly dead) → refused ({@link StoreLockedException}). Else create generation
 *       {@code g+1} with our record through {@link LeaseFiles#createNew} (atomic create-if-absent): of two
 *       contenders only one creates it; the other looks again and finds it held. The winner then checks
 *       that no higher generation exists (re-read and verify) and removes the older ones.</li>
 *   <li><b>Renew</b> (every {@link WriterLeasePolicy#renewInterval()}): only while the lease is still
 *       ours by our own clock with {@link WriterLeasePolicy#margin()} to spare; only when no generation
 *       {@code g+1} exists and generation {@code g} still names us; the new expiry replaces the
 *       record atomically; then {@code g+1} is checked again. Anything else: the lease is lost.</li>
 *   <li><b>Check</b> (before every write, no I/O): lost, or within the margin of the expiry without a
 *       renewal → {@link LeaseLostException}, and the writer writes nothing.</li>
 *   <li><b>Release</b> (clean close): the record is marked released, so the next writer need not wait.
 *       The generation stays (never deleting the current generation keeps the numbering increasing).</li>
 * </ul>
 *
 * <h2>Guarantees and limits</h2>
 * Two contenders never both acquire the same generation (atomic create). A contender takes a lease over
 * only after its expiry by its own clock; the owner stops using it {@code margin} before that expiry by
 * its clock: so the writers never overlap as long as the clocks of the machines differ by less than the
 * margin and a renewal (a few small file operations) takes less than the margin. A writer paused longer
 * than that (a stopped VM) finds its lease lost at its next check and writes nothing more, but a write
 * already past its check when the pause began completes: leases without fencing tokens in every write
 * cannot exclude that, so the margin should stay well above a write's duration.
 */
final class WriterLease {

    private static final System.Logger LOG = System.getLogger(WriterLease.class.getName());
    /** Rounds of acquire when contenders keep creating generations (each round is a few file operations). */
    private static final int MAX_ROUNDS = 8;

    private final LeaseFiles files;
    private final LeaseOwner owner;
    private final Clock clock;
    private final WriterLeasePolicy policy;
    private final String store;
    private final long generation;
    private long expiresAt;
    private String lost;
    private boolean released;

    private WriterLease(LeaseFiles files, LeaseOwner owner, Clock clock, WriterLeasePolicy policy, String store,
                        long generation, long expiresAt) {
        this.files = files;
        this.owner = owner;
        this.clock = clock;
        this.policy = policy;
        this.store = store;
        this.generation = generation;
        this.expiresAt = expiresAt;
    }

    /**
     * Takes the lease of a store.
     *
     * @param store a name for messages (the store folder's name)
     * @throws StoreLockedException when another owner holds it, or contenders kept it busy
     */
    static WriterLease acquire(LeaseFiles files, LeaseOwner owner, Clock clock, WriterLeasePolicy policy,
                               String store) {
        long ttl = policy.ttl().toMillis();
        try {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                OptionalLong highest = files.highest();
                long g = highest.orElse(-1);
                if (g >= 0) {
                    Optional<LeaseRecord> current = files.read(g, ttl);
                    if (current.isEmpty()) {
                        continue; // removed while we looked (a winner cleaning up): look again
                    }
                    LeaseRecord r = current.get();
                    if (!r.freeAt(clock.millis()) && !(policy.takeOverDeadLocalOwners() && deadLocally(r))) {
                        throw new StoreLockedException("store " + store + " is being written by another process ("
                                + r.owner() + ", lease valid for another "
                                + Math.max(0, r.expiresAt() - clock.millis()) + " ms)");
                    }
                }
                long now = clock.millis();
                LeaseRecord mine = new LeaseRecord(owner.id(), now + ttl, false);
                if (!files.createNew(g + 1, mine)) {
                    continue; // another contender created it first: its lease is fresh, the next round says so
                }
                // re-read and verify: ours, and the highest (a contender that saw an older listing cannot be ahead)
                Optional<LeaseRecord> check = files.read(g + 1, ttl);
                OptionalLong now2 = files.highest();
                if (check.isEmpty() || !check.get().owner().equals(owner.id()) || now2.orElse(-1) != g + 1) {
                    throw new StoreLockedException("store " + store + " was taken by another process at the same time");
                }
                files.deleteBelow(g + 1);
                return new WriterLease(files, owner, clock, policy, store, g + 1, now + ttl);
            }
        } catch (IOException e) {
            throw new StoreLockedException("cannot take the lease of store " + store + ": " + e.getMessage(), e);
        }
        throw new StoreLockedException("store " + store + " is contended by other processes; try again");
    }

    private static boolean deadLocally(LeaseRecord r) {
        return LeaseOwner.parse(r.owner()).map(LeaseOwner::deadOnThisHost).orElse(false);
    }

    long generation() {
        return generation;
    }

    synchronized long expiresAt() {
        return expiresAt;
    }

    /**
     * Extends the lease by the TTL from now.
     *
     * @return false when the lease is lost (now or before); the reason is {@link #lostReason()}
     */
    synchronized boolean renew() {
        if (lost != null || released) {
            return lost == null;
        }
        long now = clock.millis();
        if (now >= expiresAt - policy.margin().toMillis()) {
            return lose("renewal overdue (" + (now - expiresAt) + " ms relative to the expiry)");
        }
        try {
            if (files.exists(generation + 1)) {
                return lose("taken over by " + files.read(generation + 1, policy.ttl().toMillis())
                        .map(LeaseRecord::owner).orElse("another process"));
            }
            Optional<LeaseRecord> current = files.read(generation, policy.ttl().toMillis());
            if (current.isEmpty() || !current.get().owner().equals(owner.id())) {
                return lose("lease file replaced by " + current.map(LeaseRecord::owner).orElse("nobody (removed)"));
            }
            long until = now + policy.ttl().toMillis();
            if (!files.overwrite(generation, new LeaseRecord(owner.id(), until, false))) {
                return lose("lease replaced by another process during the renewal");
            }
            if (files.exists(generation + 1)) {
                return lose("taken over during the renewal");
            }
            expiresAt = until;
            return true;
        } catch (IOException e) {
            // transient (NFS hiccup): the next renewal tries again; check() stops writes once overdue
            LOG.log(System.Logger.Level.WARNING, "cannot renew the lease of store {0}: {1}", store, e.getMessage());
            return true;
        }
    }

    private boolean lose(String why) {
        lost = why;
        LOG.log(System.Logger.Level.WARNING, "lost the lease of store {0}: {1}; writing stopped", store, why);
        return false;
    }

    /**
     * Before every write: throws when the lease is not certainly ours.
     *
     * @throws LeaseLostException when it is lost or its renewal is overdue
     */
    synchronized void check() {
        if (lost == null && !released && clock.millis() >= expiresAt - policy.margin().toMillis()) {
            lose("renewal overdue");
        }
        if (lost != null) {
            throw new LeaseLostException("lost the lease of store " + store + ": " + lost
                    + "; this writer stopped (another process may be writing it)");
        }
        if (released) {
            throw new LeaseLostException("the lease of store " + store + " was released");
        }
    }

    synchronized boolean isLost() {
        return lost != null;
    }

    synchronized String lostReason() {
        return lost;
    }

    /** Clean close: marks the record released when it is still ours. Idempotent. */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        if (lost != null) {
            return;
        }
        try {
            Optional<LeaseRecord> current = files.read(generation, policy.ttl().toMillis());
            if (!files.exists(generation + 1) && current.isPresent() && current.get().owner().equals(owner.id())) {
                files.overwrite(generation, new LeaseRecord(owner.id(), clock.millis(), true));
            }
        } catch (IOException e) {
            // it expires by itself
            LOG.log(System.Logger.Level.WARNING, "cannot release the lease of store {0}: {1}", store, e.getMessage());
        }
    }

    /** Drops the lease without releasing it, as a crash would (it expires by itself). */
    synchronized void abandon() {
        released = true;
    }

    /**
     * The record of the current lease of a store, or empty when none is held (absent, released, expired,
     * or owned by a dead process of this machine when the policy takes those over).
     */
    static Optional<LeaseRecord> holder(LeaseFiles files, Clock clock, WriterLeasePolicy policy) throws IOException {
        OptionalLong g = files.highest();
        if (g.isEmpty()) {
            return Optional.empty();
        }
        return files.read(g.getAsLong(), policy.ttl().toMillis())
                .filter(r -> !r.freeAt(clock.millis()) && !(policy.takeOverDeadLocalOwners() && deadLocally(r)));
    }
}
