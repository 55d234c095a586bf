package io.imgstore.service.ingest;

import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3StoreFiles;
import io.imgstore.format.storage.s3.SpooledStoreWriter;
import io.imgstore.format.storage.s3.StoreTransfer;
import io.imgstore.service.catalog.RootStorage;
import io.imgstore.service.catalog.S3Properties;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreProperties;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where ingest writes when the store root is in object storage ({@code imgstore.root=s3://...}):
 * stores are written by {@link SpooledStoreWriter} into the local folder {@code imgstore.s3.spool-dir}
 * (same relative paths as in the bucket) and uploaded chunk by chunk to the root. Disabled for a local
 * root, and for an object-storage root without a spool folder (ingest then answers 501
 * {@code root-read-only}).
 */
@Component
public class SpoolTarget {

    private final Path dir;
    private final S3Location root;
    private final StoreTransfer transfer;
    private final StoreCatalog catalog;
    private final S3StoreFiles files;

    @Autowired
    public SpoolTarget(RootStorage storage, S3Properties s3, StoreProperties props) {
        if (storage.isLocal() || s3.spoolDir() == null || storage.client().isEmpty()) {
            this.dir = null;
            this.root = null;
            this.transfer = null;
            this.catalog = null;
            this.files = null;
            return;
        }
        this.dir = s3.spoolDir().toAbsolutePath().normalize();
        this.files = storage.s3Files().orElseThrow();
        this.root = files.location();
        this.transfer = new StoreTransfer(storage.client().orElseThrow(), StoreTransfer.Options.defaults());
        this.catalog = new StoreCatalog(new StoreProperties(dir, false, props.registrySize(), props.registryIdle(),
                props.decodersPerStore(), props.scanInterval()));
    }

    private SpoolTarget() {
        this.dir = null;
        this.root = null;
        this.transfer = null;
        this.catalog = null;
        this.files = null;
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
