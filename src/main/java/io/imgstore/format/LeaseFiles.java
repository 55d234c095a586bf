package io.imgstore.format;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a store's lease generations live: the only storage operations the lease protocol needs
 * ({@code WriterLease}; held through {@link StoreLease}), so that another storage can be plugged in
 * beside the store folder's files ({@code LocalLeaseFiles}): object storage implements it in
 * {@code io.imgstore.format.storage.s3.S3LeaseFiles}, {@link #createNew} with a conditional put
 * ({@code If-None-Match: *}). Generations are numbered 0, 1, 2, ...; the highest one present is the
 * current lease.
 *
 * <p>The one atomic operation the protocol relies on is {@link #createNew}: of several processes
 * creating the same generation, exactly one succeeds. An implementation that cannot guarantee it must
 * not claim to (see docs/deployment.md, "Cluster").
 *
 * <p>One instance serves the lease of one store; the protocol calls it from one thread at a time.
 */
public interface LeaseFiles {

    /** The highest generation present, or empty when the store has no lease. */
    OptionalLong highest() throws IOException;

    /** True when generation {@code gen} is present (a fresh look, not a cached listing where avoidable). */
    boolean exists(long gen) throws IOException;

    /**
     * The record of a generation; empty when it is absent. A generation whose content cannot be parsed
     * (being written on a filesystem without atomic create, or garbage) is returned as held by
     * {@code "unknown"} until its modification time plus {@code ttlMillis}.
     */
    Optional<LeaseRecord> read(long gen, long ttlMillis) throws IOException;

    /**
     * Creates generation {@code gen} with its full content, atomically and only if absent.
     *
     * @return false when it already exists (another process created it first)
     */
    boolean createNew(long gen, LeaseRecord record) throws IOException;

    /**
     * Replaces the content of a generation this process created (renewal, release), atomically for
     * readers. The protocol always {@link #read}s the generation (and checks that it names this owner)
     * just before; an implementation that can make the replacement conditional on that content being
     * unchanged (a compare-and-swap, e.g. {@code If-Match} on object storage) does so.
     *
     * @return false when the generation was changed by someone else since this process last read or
     *     wrote it (the conditional replacement failed; nothing was written): the lease is lost.
     *     Implementations without such a condition return true.
     */
    boolean overwrite(long gen, LeaseRecord record) throws IOException;

    /** Removes the generations below {@code gen} (old leases; best effort). */
    void deleteBelow(long gen) throws IOException;
}
