package io.imgstore.format;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Writers' leases: every {@link ImgStoreWriter} holds a lease in its store folder ({@code .lease.N}
 * files) besides the OS lock on {@code .lock}, so that a store is written by one process at a time also
 * across machines sharing the folder, where OS locks are unreliable (NFS). The lease is renewed in the
 * background while the writer is open; a writer whose lease is lost writes nothing more
 * ({@link LeaseLostException}). See docs/deployment.md, "Cluster", and {@code WriterLease} for the protocol.
 * Leases whose generations live elsewhere (object storage) are held with {@link StoreLease}.
 *
 * <p>The policy is one per process ({@link #configure}); the service sets it from
 * {@code imgstore.cluster.*} at start.
 */
public final class WriterLeases {

    private static volatile WriterLeasePolicy policy = WriterLeasePolicy.DEFAULT;
    private static final ScheduledExecutorService RENEWER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "imgstore-lease-renewer");
        t.setDaemon(true);
        return t;
    });

    private WriterLeases() {
    }

    /** Sets the policy of writers opened from now on. */
    public static void configure(WriterLeasePolicy p) {
        policy = Objects.requireNonNull(p);
    }

    public static WriterLeasePolicy policy() {
        return policy;
    }

    static ScheduledExecutorService renewer() {
        return RENEWER;
    }

    /**
     * Who holds the lease of the store in {@code dir} (the owner id: {@code host:boot:pid:random}), or
     * empty when nobody does (no lease, released, expired, or its owner died on this machine and the
     * policy takes those over): then a writer may open it.
     */
    public static Optional<String> holder(Path dir) {
        try {
            return holder(new LocalLeaseFiles(dir));
        } catch (IOException e) {
            return Optional.of("unknown (" + e.getMessage() + ")");
        }
    }

    /**
     * Who holds the lease whose generations live in {@code files} (object storage, see {@link StoreLease}),
     * or empty when nobody does. As for {@link #holder(Path)}, a lease whose owner is this very process
     * counts as free when the policy takes over dead owners of this machine (this process is the restart).
     */
    public static Optional<String> holder(LeaseFiles files) throws IOException {
        return WriterLease.holder(files, Clock.systemUTC(), policy).map(LeaseRecord::owner);
    }
}
