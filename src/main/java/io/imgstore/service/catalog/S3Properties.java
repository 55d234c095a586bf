package io.imgstore.service.catalog;

import io.imgstore.format.storage.s3.S3StoreFiles;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Object storage for an {@code s3://bucket/prefix} store root: {@code imgstore.s3.*}. Only read
 * when {@code imgstore.root} is an {@code s3://} URI; validated at start either way (a bad value
 * stops the service with a message naming the property).
 *
 * <p>Endpoint, region and credentials come from the AWS SDK's standard configuration
 * ({@code AWS_ENDPOINT_URL_S3}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, profiles, ...);
 * {@link #endpoint} and {@link #region} override it when set.
 *
 * @param pathStyleAccess  {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 *                         (MinIO, Ceph RGW, S3Proxy need it); default false
 * @param endpoint         the S3 endpoint, overriding the SDK's configuration (default: the SDK's)
 * @param region           the signing region, overriding the SDK's configuration (default: the SDK's, else us-east-1)
 * @param blockSize        bytes per block of the ranged GETs of a video chunk, npz or HDF5 file (4KB to 64MB;
 *                         default: the library's, 32KB)
 * @param blockCacheSize   block cache shared by all reads (default 64MB; 0: none)
 * @param readAheadBlocks  largest read-ahead window, in blocks, while a file is read sequentially (0 to 64;
 *                         default: the library's, 64)
 * @param metadataTtl      how long HEAD and listing results are reused (default 5s; 0: not at all)
 * @param metadataEntries  most keys whose HEAD/listing result is remembered (default 100000)
 * @param maxReadSize      largest object read whole: metadata, indexes, frame files (default 256MB)
 * @param maxListEntries   most entries of one listed folder (default 1000000)
 * @param connectTimeout   TCP connect timeout (default 10s)
 * @param socketTimeout    longest wait for response bytes (default 60s)
 * @param apiCallTimeout   longest one request may take, retries included (default 2m)
 * @param spoolDir         local folder where ingest writes stores before they are uploaded chunk by chunk
 *                         ({@code SpooledStoreWriter}); unset (default): ingest on an object-storage root answers
 *                         501 {@code root-read-only}
 */
@Validated
@ConfigurationProperties("imgstore.s3")
public record S3Properties(
        boolean pathStyleAccess,
        URI endpoint,
        String region,
        DataSize blockSize,
        DataSize blockCacheSize,
        Integer readAheadBlocks,
        Duration metadataTtl,
        Long metadataEntries,
        DataSize maxReadSize,
        Integer maxListEntries,
        Duration connectTimeout,
        Duration socketTimeout,
        Duration apiCallTimeout,
        java.nio.file.Path spoolDir) {

    public S3Properties {
        S3StoreFiles.Options d = S3StoreFiles.Options.defaults();
        region = region == null || region.isBlank() ? null : region.trim();
        blockSize = blockSize == null ? DataSize.ofBytes(d.blockSize()) : blockSize;
        blockCacheSize = blockCacheSize == null ? DataSize.ofBytes(d.blockCacheBytes()) : blockCacheSize;
        readAheadBlocks = readAheadBlocks == null ? d.readAheadBlocks() : readAheadBlocks;
        metadataTtl = metadataTtl == null ? d.metadataTtl() : metadataTtl;
        metadataEntries = metadataEntries == null ? d.metadataEntries() : metadataEntries;
        maxReadSize = maxReadSize == null ? DataSize.ofBytes(d.maxReadBytes()) : maxReadSize;
        maxListEntries = maxListEntries == null ? d.maxListEntries() : maxListEntries;
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(10), "connect-timeout");
        socketTimeout = positive(socketTimeout, Duration.ofSeconds(60), "socket-timeout");
        apiCallTimeout = positive(apiCallTimeout, Duration.ofMinutes(2), "api-call-timeout");
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
            throw new IllegalArgumentException("imgstore.s3.endpoint must be an http(s) URL with a host: " + endpoint);
        }
        if (blockSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("imgstore.s3.block-size must be between 4KB and 64MB");
        }
        if (maxListEntries < 1) {
            throw new IllegalArgumentException("imgstore.s3.max-list-entries must be positive");
        }
        try {
            options(blockSize, blockCacheSize, readAheadBlocks, metadataTtl, metadataEntries, maxReadSize,
                    maxListEntries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("imgstore.s3: " + e.getMessage()); // the message is all there is
        }
    }

    /** The defaults (every property unset). */
    public static S3Properties defaults() {
        return new S3Properties(false, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The {@link S3StoreFiles} tunables these properties name. */
    public S3StoreFiles.Options options() {
        return options(blockSize, blockCacheSize, readAheadBlocks, metadataTtl, metadataEntries, maxReadSize,
                maxListEntries);
    }

    private static S3StoreFiles.Options options(DataSize blockSize, DataSize blockCacheSize, int readAheadBlocks,
            Duration metadataTtl, long metadataEntries, DataSize maxReadSize, int maxListEntries) {
        return new S3StoreFiles.Options(metadataTtl, metadataEntries, (int) blockSize.toBytes(),
                blockCacheSize.toBytes(), readAheadBlocks, maxReadSize.toBytes(), maxListEntries);
    }

    private static Duration positive(Duration d, Duration dflt, String name) {
        if (d == null) {
            return dflt;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("imgstore.s3." + name + " must be positive");
        }
        return d;
    }
}
