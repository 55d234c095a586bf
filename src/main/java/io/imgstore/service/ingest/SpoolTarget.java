package io.imgstore.service.ingest;

import io.imgstore.format.StoreLease;
import io.imgstore.format.storage.s3.S3LeaseFiles;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3StoreFiles;
import io.imgstore.format.storage.s3.SpooledStoreWriter;
import io.imgstore.format.storage.s3.StoreTransfer;
import io.imgstore.format.storage.s3.UnsafeObjectLeasesException;
import io.imgstore.service.catalog.RootStorage;
import io.imgstore.service.catalog.S3Properties;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where ingest writes when the store root is in object storage ({@code imgstore.root=s3://...}):
 * stores are written by {@link SpooledStoreWriter} into the local folder {@code imgstore.s3.spool-dir}
 * (same relative paths as in the bucket) and uploaded chunk by chunk to the root. Disabled for a local
 * root, and for an object-storage root without a spool folder (ingest then answers 501
 * {@code root-read-only}).
 *
 * <p>Writer leases: every spooled store is written under a {@link StoreLease} on the store in the bucket
 * ({@link S3LeaseFiles}), so that two replicas over one bucket never write the same store. The server's
 * conditional writes are probed once here ({@link S3LeaseFiles.Root#open}); when it ignores them (S3Proxy
 * 2.6.0) and {@code imgstore.cluster.allow-unsafe-object-leases} is false, or the probe fails, ingest is
 * refused ({@link ObjectLeasesUnavailableException}, 503) and the reason logged at start.
 */
@Component
public class SpoolTarget {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolTarget.class);

    private final Path dir;
    private final S3Location root;
    private final StoreTransfer transfer;
    private final StoreCatalog catalog;
    private final S3StoreFiles files;
    /** The leases of the stores under the root; null when they cannot be taken ({@link #leaseRefusal}). */
    private final S3LeaseFiles.Root leases;
    /** Why ingest is refused (no safe leases), or null. */
    private final String leaseRefusal;

    @Autowired
    public SpoolTarget(RootStorage storage, S3Properties s3, StoreProperties props, ClusterProperties cluster) {
        if (storage.isLocal() || s3.spoolDir() == null || storage.client().isEmpty()) {
            this.dir = null;
            this.root = null;
            this.transfer = null;
            this.catalog = null;
            this.files = null;
            this.leases = null;
            this.leaseRefusal = null;
            return;
        }
        this.dir = s3.spoolDir().toAbsolutePath().normalize();
        this.files = storage.s3Files().orElseThrow();
        this.root = files.location();
        this.transfer = new StoreTransfer(storage.client().orElseThrow(), StoreTransfer.Options.defaults());
        this.catalog = new StoreCatalog(new StoreProperties(dir, false, props.registrySize(), props.registryIdle(),
                props.decodersPerStore(), props.scanInterval()));
        LeaseRoot l = openLeases(storage.client().orElseThrow(), root, cluster.allowUnsafeObjectLeases());
        this.leases = l.root();
        this.leaseRefusal = l.refusal();
    }

    /**
     * Spooling into {@code root} without Spring (tests): the probe runs here as at start.
     *
     * @param allowUnsafe {@code imgstore.cluster.allow-unsafe-object-leases}
     */
    SpoolTarget(Path spoolDir, S3Client client, S3Location root, boolean allowUnsafe) {
        this.dir = spoolDir.toAbsolutePath().normalize();
        this.files = null;
        this.root = root;
        this.transfer = new StoreTransfer(client, StoreTransfer.Options.defaults());
        this.catalog = new StoreCatalog(new StoreProperties(dir, false, 4, Duration.ofMinutes(1), 1,
                Duration.ofMillis(1)));
        LeaseRoot l = openLeases(client, root, allowUnsafe);
        this.leases = l.root();
        this.leaseRefusal = l.refusal();
    }

    private record LeaseRoot(S3LeaseFiles.Root root, String refusal) {
    }

    /** The start-up probe: the leases, or why ingest is refused (logged once, here). */
    private static LeaseRoot openLeases(S3Client client, S3Location root, boolean allowUnsafe) {
        try {
            S3LeaseFiles.Root r = S3LeaseFiles.Root.open(client, root, allowUnsafe);
            LOG.info("writer leases on {}: conditional writes {}{}", root, r.conditionalWrites(),
                    r.conditionalWrites() == S3LeaseFiles.ConditionalWrites.NONE
                            ? " (imgstore.cluster.allow-unsafe-object-leases=true: weaker leases)" : "");
            return new LeaseRoot(r, null);
        } catch (UnsafeObjectLeasesException e) {
            LOG.error("ingest into {} is refused: {}", root, e.getMessage());
            return new LeaseRoot(null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            String why = "the writer-lease probe of " + root + " failed (" + e.getMessage() + "); restart the server"
                    + " once the bucket is writable";
            LOG.error("ingest into {} is refused: {}", root, why);
            return new LeaseRoot(null, why);
        }
    }

    private SpoolTarget() {
        this.dir = null;
        this.root = null;
        this.transfer = null;
        this.catalog = null;
        this.files = null;
        this.leases = null;
        this.leaseRefusal = null;
    }

    /**
     * Before any ingest request is looked at.
     *
     * @throws ObjectLeasesUnavailableException (503) when writer leases cannot be taken on this root
     */
    void checkLeases() {
        if (enabled() && leaseRefusal != null) {
            throw new ObjectLeasesUnavailableException(leaseRefusal);
        }
    }

    /** What the start-up probe found, or null when leases cannot be taken. */
    S3LeaseFiles.ConditionalWrites conditionalWrites() {
        return leases == null ? null : leases.conditionalWrites();
    }

    /**
     * Takes the writer lease of the store at {@code relativePath} in the bucket (renewed in the background
     * until closed).
     *
     * @throws io.imgstore.format.StoreLockedException  (409) when another owner holds it
     * @throws ObjectLeasesUnavailableException         (503) when leases cannot be taken on this root
     */
    StoreLease lease(String relativePath) {
        checkLeases();
        S3LeaseFiles f = leases.store(relativePath);
        return StoreLease.acquire(f, f.name());
    }

    /** No spooling: a local root (tests, tools). */
    public static SpoolTarget none() {
        return new SpoolTarget();
    }

    /** True when ingest writes through the spool into object storage. */
    public boolean enabled() {
        return dir != null;
    }

    /** The spool folder. */
    public Path dir() {
        return dir;
    }

    /** The catalog of the stores in the spool folder (stores being written, or not uploaded yet). */
    public StoreCatalog catalog() {
        return catalog;
    }

    /** Where the store at {@code relativePath} ('/'-separated, relative to the root) goes in the bucket. */
    public S3Location destination(String relativePath) {
        return new S3Location(root.bucket(), root.key(relativePath));
    }

    public StoreTransfer transfer() {
        return transfer;
    }

    /**
     * A store was uploaded (or created, closed): the root's cached HEAD and listing results
     * ({@code imgstore.s3.metadata-ttl}) are dropped, so that it is found in the bucket at once.
     */
    public void uploaded() {
        if (files != null) {
            files.invalidateMetadata();
        }
    }

    /** Finished chunks that may wait for upload before a store's writer thread waits too. */
    public int maxQueuedChunks() {
        return SpooledStoreWriter.DEFAULT_MAX_QUEUED_CHUNKS;
    }
}
