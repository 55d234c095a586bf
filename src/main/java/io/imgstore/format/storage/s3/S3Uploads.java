package io.imgstore.format.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The write side for object storage, kept minimal for what comes next (push/pull, ingest upload,
 * leases): put a local file (a multipart upload above a threshold), put bytes, delete, and a
 * conditional put ({@code If-None-Match: *}) that only creates. Keys are given relative to the
 * location and checked like it ({@link S3Location#key}).
 *
 * <p>Multipart uploads use the low-level multipart API of the synchronous client
 * (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, and AbortMultipartUpload on any
 * failure): the SDK's automatic multipart (S3TransferManager, {@code multipartEnabled}) needs the
 * asynchronous client and Netty or CRT, which we do not ship. Each part is read into memory
 * ({@link #partSize} bytes at a time) so that the SDK can retry it.
 */
public final class S3Uploads {

    /** S3's smallest part (except the last). */
    public static final long MIN_PART_SIZE = 5L << 20;

    private static final int MAX_PARTS = 10_000;

    /** What a conditional put did. */
    public enum PutResult {
        /** The object did not exist and now holds the bytes. */
        CREATED,
        /** An object already exists under the key (412 Precondition Failed); nothing was written. */
        ALREADY_EXISTS
    }

    private final S3Client client;
    private final S3Location location;
    private final long multipartThreshold;
    private final long partSize;

    /** Multipart above 64 MiB, in parts of 16 MiB. */
    public S3Uploads(S3Client client, S3Location location) {
        this(client, location, 64L << 20, 16L << 20);
    }

    public S3Uploads(S3Client client, S3Location location, long multipartThreshold, long partSize) {
        this.client = Objects.requireNonNull(client, "client");
        this.location = Objects.requireNonNull(location, "location");
        if (partSize < MIN_PART_SIZE || partSize > (1L << 30)) {
            throw new IllegalArgumentException("partSize must be between 5 MiB and 1 GiB");
        }
        if (multipartThreshold < partSize) {
            throw new IllegalArgumentException("multipartThreshold must be at least partSize");
        }
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    public long partSize() {
        return partSize;
    }

    /**
     * Uploads a local file under {@code relativeKey}, with a multipart upload when it is larger
     * than the threshold.
     *
     * @return the number of parts (1 for a single PUT)
     */
    public int putFile(String relativeKey, Path localFile) throws IOException {
        String key = location.key(relativeKey);
        if (!Files.isRegularFile(localFile)) {
            throw new NoSuchFileException(localFile.toString());
        }
        long size = Files.size(localFile);
        if (size <= multipartThreshold) {
            try {
                client.putObject(PutObjectRequest.builder().bucket(location.bucket()).key(key).build(),
                        RequestBody.fromFile(localFile));
                return 1;
            } catch (SdkException e) {
                throw failed(relativeKey, "PUT", e);
            }
        }
        return multipart(relativeKey, key, localFile, size);
    }

    private int multipart(String relativeKey, String key, Path localFile, long size) throws IOException {
        long part = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(b -> b.bucket(location.bucket()).key(key)).uploadId();
        } catch (SdkException e) {
            throw failed(relativeKey, "CreateMultipartUpload", e);
        }
        boolean done = false;
        try (InputStream in = Files.newInputStream(localFile)) {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += part, number++) {
                int n = (int) Math.min(part, size - offset);
                byte[] bytes = in.readNBytes(n);
                if (bytes.length != n) {
                    throw new IOException(localFile + " shrank while it was uploaded");
                }
                int partNumber = number;
                String etag = client.uploadPart(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) n), RequestBody.fromBytes(bytes)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            client.completeMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            done = true;
            return parts.size();
        } catch (SdkException e) {
            throw failed(relativeKey, "multipart upload", e);
        } finally {
            if (!done) {
                try {
                    client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId));
                } catch (SdkException ignored) {
                    // the upload failed already; an unaborted upload is cleaned by the bucket's lifecycle rules
                }
            }
        }
    }

    /** Puts bytes under {@code relativeKey}, replacing any object there. */
    public void putBytes(String relativeKey, byte[] bytes) throws IOException {
        String key = location.key(relativeKey);
        try {
            client.putObject(PutObjectRequest.builder().bucket(location.bucket()).key(key).build(),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failed(relativeKey, "PUT", e);
        }
    }

    /**
     * Puts bytes only if nothing is stored under {@code relativeKey} yet ({@code If-None-Match: *},
     * supported by AWS S3 since 2024 and by S3Proxy; a server that ignores the header overwrites).
     */
    public PutResult putIfAbsent(String relativeKey, byte[] bytes) throws IOException {
        String key = location.key(relativeKey);
        try {
            client.putObject(PutObjectRequest.builder().bucket(location.bucket()).key(key).ifNoneMatch("*").build(),
                    RequestBody.fromBytes(bytes));
            return PutResult.CREATED;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return PutResult.ALREADY_EXISTS;
            }
            throw failed(relativeKey, "conditional PUT", e);
        } catch (SdkException e) {
            throw failed(relativeKey, "conditional PUT", e);
        }
    }

    /** Deletes the object (no error when it is absent, as S3). */
    public void delete(String relativeKey) throws IOException {
        String key = location.key(relativeKey);
        try {
            client.deleteObject(b -> b.bucket(location.bucket()).key(key));
        } catch (SdkException e) {
            throw failed(relativeKey, "DELETE", e);
        }
    }

    private IOException failed(String relativeKey, String op, SdkException e) {
        return S3StoreFiles.mapped(location.anchor().resolve(relativeKey), op, e);
    }
}
