package io.imgstore.service.catalog;

import io.imgstore.format.storage.s3.S3Clients;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3StoreFiles;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * The storage behind {@code imgstore.root}: a local folder, or {@code s3://bucket/prefix} read
 * through {@link S3StoreFiles} (the root then is its synthetic anchor {@code /s3/<bucket>/<prefix>}).
 * Owns the S3 client (closed with the application context). The {@link StoreRoot} bean is
 * {@link #root()}; health and the start-up log ask this for the location and the bucket probe.
 */
public final class RootStorage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RootStorage.class);

    private final StoreRoot root;
    private final String location;
    private final S3Client client;
    private final S3StoreFiles s3;

    private RootStorage(StoreRoot root, String location, S3Client client, S3StoreFiles s3) {
        this.root = root;
        this.location = location;
        this.client = client;
        this.s3 = s3;
    }

    /** The root {@code properties.root()} names, with an S3 client configured by {@code s3} when it is {@code s3://}. */
    public static RootStorage of(StoreProperties properties, S3Properties s3) {
        if (!properties.isS3()) {
            StoreRoot r = StoreRoot.local(properties.localRoot());
            return new RootStorage(r, r.root().toString(), null, null);
        }
        S3Location loc;
        try {
            loc = S3Location.parse(properties.root());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("imgstore.root: " + e.getMessage(), e);
        }
        return s3(loc, client(s3), s3.options());
    }

    /** An S3 root over {@code client} (closed with this). */
    public static RootStorage s3(S3Location location, S3Client client, S3StoreFiles.Options options) {
        S3StoreFiles files = new S3StoreFiles(client, location, options);
        LOG.info("store root {} (object storage, read-only; blocks of {} bytes, block cache {} bytes)", location,
                options.blockSize(), options.blockCacheBytes());
        return new RootStorage(new StoreRoot(files, files.anchor()), location.toString(), client, files);
    }

    /** A client from the SDK's standard configuration with {@code imgstore.s3.*} on top. */
    static S3Client client(S3Properties p) {
        S3ClientBuilder b = S3Clients.standard(p.pathStyleAccess())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(p.connectTimeout())
                        .socketTimeout(p.socketTimeout()))
                .overrideConfiguration(c -> c.apiCallTimeout(p.apiCallTimeout()));
        if (p.endpoint() != null) {
            b.endpointOverride(p.endpoint());
        }
        if (p.region() != null) {
            b.region(Region.of(p.region()));
        }
        return b.build();
    }

    public StoreRoot root() {
        return root;
    }

    /** The root as configured: the absolute folder, or {@code s3://bucket/prefix}. */
    public String location() {
        return location;
    }

    /** True for a local folder (writable by ingest); false for object storage (read-only for now). */
    public boolean isLocal() {
        return s3 == null;
    }

    /** The S3 client of an object-storage root (owned by this; ingest uploads with it). */
    public Optional<S3Client> client() {
        return Optional.ofNullable(client);
    }

    /** The S3 files of an object-storage root. */
    public Optional<S3StoreFiles> s3Files() {
        return Optional.ofNullable(s3);
    }

    /**
     * Checks the bucket of an object-storage root: HEAD bucket, then a listing of at most one key
     * under the prefix (permission to list is what the catalog needs).
     *
     * @throws software.amazon.awssdk.core.exception.SdkException when the bucket cannot be reached or read
     * @throws IllegalStateException for a local root
     */
    public int probeBucket() {
        if (s3 == null) {
            throw new IllegalStateException("not an object-storage root");
        }
        S3Location loc = s3.location();
        client.headBucket(HeadBucketRequest.builder().bucket(loc.bucket()).build());
        String prefix = loc.prefix().isEmpty() ? "" : loc.prefix() + "/";
        return client.listObjectsV2(ListObjectsV2Request.builder().bucket(loc.bucket()).prefix(prefix).maxKeys(1)
                .build()).keyCount();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
