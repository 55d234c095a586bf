package io.imgstore.format;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a store's lease generations live: the only storage operations {@link WriterLease} needs, so
 * that another storage (object storage: a conditional put with {@code If-None-Match: *} for
 * {@link #createNew}) can be added beside {@link LocalLeaseFiles}. Generations are numbered 0, 1, 2,
 * ...; the highest one present is the current lease.
 *
 * <p>The one atomic operation the protocol relies on is {@link #createNew}: of several processes
 * creating the same generation, exactly one succeeds.
 */
interface LeaseFiles {

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

    /** Replaces the content of a generation this process created (renewal, release), atomically for readers. */
    void overwrite(long gen, LeaseRecord record) throws IOException;

    /** Removes the generations below {@code gen} (old leases; best effort). */
    void deleteBelow(long gen) throws IOException;
}
