package io.imgstore.format.storage.s3;

import io.imgstore.format.LeaseFiles;
import io.imgstore.format.LeaseRecord;
import io.imgstore.format.StoreLease;
import io.imgstore.format.WriterLeases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A store's writer lease on object storage ({@link LeaseFiles} over S3): generation {@code N} is the
 * object {@code <store>/.lease.N}, holding the same text as a local {@code .lease.N} file
 * ({@link LeaseRecord#toText()}). Hold it with {@link StoreLease#acquire}; get instances from
 * {@link Root#open}, which first checks that the server honours conditional writes.
 *
 * <ul>
 *   <li>{@link #createNew}: {@code PUT} with {@code If-None-Match: *}; {@code 412 Precondition Failed}
 *       (or {@code 409 ConditionalRequestConflict}, a concurrent conditional write of the same key on
 *       AWS) means another process created it: false.</li>
 *   <li>{@link #overwrite} (renewal, release): {@code PUT} with {@code If-Match} on the ETag this instance
 *       last read or wrote for that generation, so that a renewal never clobbers a generation someone
 *       else rewrote between the protocol's read and its write (a compare-and-swap; {@code 412} or
 *       {@code 404} → false, the lease is lost). On a server that honours {@code If-None-Match} but not
 *       {@code If-Match} on PUT ({@link ConditionalWrites#CREATE_ONLY}) the PUT is unconditional, as the
 *       rename of the local implementation: the protocol's checks around it (no newer generation, the
 *       generation still names us) stay.</li>
 *   <li>{@link #highest}, {@link #deleteBelow}: {@code ListObjectsV2} on the {@code .lease.} prefix, at
 *       most {@value #MAX_LISTED} keys (a store has one or two); names other than {@code .lease.<digits>}
 *       are ignored. {@link #exists}: {@code HEAD}.</li>
 *   <li>{@link #read}: {@code GET}, at most {@link LeaseRecord#MAX_BYTES} + 1 bytes read whatever the
 *       object's size (the rest is aborted); content that is not a record counts as held by
 *       {@code "unknown"} until its {@code Last-Modified} plus the TTL, as for local files.</li>
 * </ul>
 *
 * <p>S3 is strongly consistent for PUT, GET, HEAD and LIST (AWS since December 2020; MinIO and Ceph RGW
 * likewise), which the protocol's re-checks rely on. One instance serves one store's lease; it remembers
 * the ETags of the generations it saw.
 */
public final class S3LeaseFiles implements LeaseFiles {

    private static final System.Logger LOG = System.getLogger(S3LeaseFiles.class.getName());

    /** Object name prefix of lease generations (as local files). */
    public static final String PREFIX = ".lease.";

    /** Most keys a lease listing may return before it is refused (a hostile or polluted prefix). */
    public static final int MAX_LISTED = 10_000;

    private static final Pattern NAME = Pattern.compile("\\d{1,18}");
    /** An ETag no object has: the probe's If-Match must fail on a server that honours it. */
    private static final String NO_SUCH_ETAG = "\"00000000000000000000000000000000\"";

    /** What a server does with the conditional headers of a PUT (see {@link #probe}). */
    public enum ConditionalWrites {
        /** {@code If-None-Match: *} and {@code If-Match} on PUT honoured: exclusive creates, renewals by compare-and-swap. */
        FULL,
        /** Only {@code If-None-Match: *} honoured: exclusive creates, unconditional renewals (still safe). */
        CREATE_ONLY,
        /**
         * {@code If-None-Match: *} ignored (S3Proxy 2.6.0, old MinIO and Ceph): two contenders may both
         * "create" one generation. Leases on such a server are refused unless explicitly allowed.
         */
        NONE
    }

    private final S3Client client;
    private final S3Location location;
    private final String store;
    private final ConditionalWrites writes;
    private final String listPrefix;
    private final Map<Long, String> etags = new ConcurrentHashMap<>();

    private S3LeaseFiles(S3Client client, S3Location location, String store, ConditionalWrites writes) {
        this.client = Objects.requireNonNull(client, "client");
        this.location = Objects.requireNonNull(location, "location");
        this.store = Objects.requireNonNull(store, "store");
        this.writes = Objects.requireNonNull(writes, "writes");
        String zero = location.key(relative(0)); // checks the store's segments
        this.listPrefix = zero.substring(0, zero.length() - 1);
    }

    /** The store's URI, {@code s3://bucket/prefix/store}: its name for {@link StoreLease#acquire}. */
    public String name() {
        return store.isEmpty() ? location.toString() : location + "/" + store;
    }

    /** The store's path relative to the location ({@code ""}: the location is the store). */
    public String store() {
        return store;
    }

    public ConditionalWrites conditionalWrites() {
        return writes;
    }

    private String relative(long gen) {
        return store.isEmpty() ? PREFIX + gen : store + "/" + PREFIX + gen;
    }

    private String key(long gen) {
        return location.key(relative(gen));
    }

    private IOException failed(long gen, String op, SdkException e) {
        return S3StoreFiles.mapped(location.anchor().resolve(relative(gen)), op, e);
    }

    /**
     * Each lease request, retries included, ends within the process's lease margin (at least a second):
     * a renewal slower than the margin is useless anyway ({@code check()} stops writes), and a hung
     * request must not hold the renewals of other stores (the client's socket timeout is a minute). A
     * {@code GET}'s body (at most 4 KiB) is read after it, within the client's socket timeout.
     */
    private static AwsRequestOverrideConfiguration timeout() {
        long margin = WriterLeases.policy().margin().toMillis();
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(Duration.ofMillis(Math.max(1000, margin)))
                .build();
    }

    /** The generations present, from a bounded listing. */
    List<Long> generations() throws IOException {
        List<Long> gens = new ArrayList<>();
        int seen = 0;
        String token = null;
        do {
            ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(location.bucket())
                    .prefix(listPrefix).maxKeys(1000).overrideConfiguration(timeout());
            if (token != null) {
                req.continuationToken(token);
            }
            ListObjectsV2Response r;
            try {
                r = client.listObjectsV2(req.build());
            } catch (SdkException e) {
                throw S3StoreFiles.mapped(location.anchor().resolve(relative(0)).getParent(), "LIST", e);
            }
            for (S3Object o : r.contents()) {
                if (++seen > MAX_LISTED) {
                    throw new IOException("more than " + MAX_LISTED + " objects under the lease prefix of "
                            + location + "/" + S3Location.printable(store) + "; refusing the listing");
                }
                String k = o.key();
                if (k != null && k.startsWith(listPrefix)) {
                    Matcher m = NAME.matcher(k.substring(listPrefix.length()));
                    if (m.matches()) {
                        gens.add(Long.parseLong(m.group()));
                    }
                }
            }
            String next = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            if (next != null && (next.isEmpty() || next.equals(token))) {
                throw new IOException("the lease listing of " + location + " does not advance");
            }
            token = next;
        } while (token != null);
        return gens;
    }

    @Override
    public OptionalLong highest() throws IOException {
        return generations().stream().mapToLong(Long::longValue).max();
    }

    @Override
    public boolean exists(long gen) throws IOException {
        String key = key(gen);
        try {
            client.headObject(b -> b.bucket(location.bucket()).key(key).overrideConfiguration(timeout()));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failed(gen, "HEAD", e);
        } catch (SdkException e) {
            throw failed(gen, "HEAD", e);
        }
    }

    @Override
    public Optional<LeaseRecord> read(long gen, long ttlMillis) throws IOException {
        String key = key(gen);
        byte[] bytes;
        GetObjectResponse meta;
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(location.bucket()).key(key)
                .overrideConfiguration(timeout()))) {
            meta = in.response();
            bytes = in.readNBytes(LeaseRecord.MAX_BYTES + 1); // bounded whatever the object's size
            if (bytes.length > LeaseRecord.MAX_BYTES) {
                in.abort(); // do not drain a large body
            }
        } catch (NoSuchKeyException e) {
            etags.remove(gen);
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                etags.remove(gen);
                return Optional.empty();
            }
            throw failed(gen, "GET", e);
        } catch (SdkException e) {
            throw failed(gen, "GET", e);
        }
        if (meta.eTag() != null) {
            etags.put(gen, meta.eTag());
        } else {
            etags.remove(gen);
        }
        try {
            if (bytes.length > LeaseRecord.MAX_BYTES) {
                throw new IllegalArgumentException("lease object too large");
            }
            return Optional.of(LeaseRecord.parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            Instant modified = meta.lastModified();
            long until = modified == null ? Long.MAX_VALUE : saturatedAdd(modified.toEpochMilli(), ttlMillis);
            return Optional.of(new LeaseRecord("unknown", until, false));
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public boolean createNew(long gen, LeaseRecord record) throws IOException {
        byte[] bytes = record.toText().getBytes(StandardCharsets.UTF_8);
        String key = key(gen);
        if (writes == ConditionalWrites.NONE) {
            return createWithoutConditions(gen, key, record, bytes);
        }
        try {
            String etag = client.putObject(PutObjectRequest.builder().bucket(location.bucket()).key(key)
                    .ifNoneMatch("*").overrideConfiguration(timeout()).build(), RequestBody.fromBytes(bytes)).eTag();
            remember(gen, etag);
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw failed(gen, "conditional PUT", e);
        } catch (SdkException e) {
            throw failed(gen, "conditional PUT", e);
        }
    }

    /**
     * The weaker mode, only when explicitly allowed ({@link Root#open}): look, put, read back. Two
     * contenders that both look before either puts may both believe they created the generation until
     * the loser's next renewal finds the other owner in it (see docs/deployment.md, "Cluster").
     */
    private boolean createWithoutConditions(long gen, String key, LeaseRecord record, byte[] bytes) throws IOException {
        if (exists(gen)) {
            return false;
        }
        try {
            remember(gen, client.putObject(PutObjectRequest.builder().bucket(location.bucket()).key(key)
                            .overrideConfiguration(timeout()).build(),
                    RequestBody.fromBytes(bytes)).eTag());
        } catch (SdkException e) {
            throw failed(gen, "PUT", e);
        }
        return read(gen, 0).map(r -> r.owner().equals(record.owner())).orElse(false);
    }

    private void remember(long gen, String etag) {
        if (etag != null) {
            etags.put(gen, etag);
        } else {
            etags.remove(gen);
        }
    }

    @Override
    public boolean overwrite(long gen, LeaseRecord record) throws IOException {
        byte[] bytes = record.toText().getBytes(StandardCharsets.UTF_8);
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(location.bucket()).key(key(gen))
                .overrideConfiguration(timeout());
        if (writes == ConditionalWrites.FULL) {
            String etag = etags.get(gen);
            if (etag == null) {
                throw new IOException("lease generation " + gen + " of " + location + "/" + S3Location.printable(store)
                        + " was not read or written through this instance; cannot replace it conditionally");
            }
            req.ifMatch(etag);
        }
        try {
            remember(gen, client.putObject(req.build(), RequestBody.fromBytes(bytes)).eTag());
            return true;
        } catch (S3Exception e) {
            if (writes == ConditionalWrites.FULL
                    && (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404)) {
                etags.remove(gen);
                return false;
            }
            throw failed(gen, "PUT", e);
        } catch (SdkException e) {
            throw failed(gen, "PUT", e);
        }
    }

    @Override
    public void deleteBelow(long gen) throws IOException {
        for (long g : generations()) {
            if (g < gen) {
                String key = key(g);
                try {
                    client.deleteObject(b -> b.bucket(location.bucket()).key(key).overrideConfiguration(timeout()));
                    etags.remove(g);
                } catch (SdkException e) {
                    throw failed(g, "DELETE", e);
                }
            }
        }
    }

    /**
     * Finds out what the server does with conditional PUTs, on a probe object under {@code root}
     * ({@code .imgstore-lease-probe/<random>}, deleted afterwards): a create-if-absent
     * ({@code If-None-Match: *}) twice (when the second also succeeds the server ignores the header),
     * then a PUT with {@code If-Match} on an ETag no object has (when it succeeds the server ignores
     * {@code If-Match}). A few small requests; needs write and delete permission under the root.
     */
    public static ConditionalWrites probe(S3Client client, S3Location root) throws IOException {
        String rel = ".imgstore-lease-probe/" + UUID.randomUUID();
        String key = root.key(rel);
        try {
            if (!probePut(client, root, key, "first", PutObjectRequest.builder().ifNoneMatch("*"))) {
                throw new IOException("the lease probe object " + root + "/" + rel + " exists already");
            }
            if (probePut(client, root, key, "second", PutObjectRequest.builder().ifNoneMatch("*"))) {
                return ConditionalWrites.NONE;
            }
            try {
                return probePut(client, root, key, "third", PutObjectRequest.builder().ifMatch(NO_SUCH_ETAG))
                        ? ConditionalWrites.CREATE_ONLY : ConditionalWrites.FULL;
            } catch (IOException e) {
                if (e.getCause() instanceof S3Exception s && (s.statusCode() == 501 || s.statusCode() == 400)) {
                    return ConditionalWrites.CREATE_ONLY; // If-Match on PUT not implemented
                }
                throw e;
            }
        } finally {
            try {
                client.deleteObject(b -> b.bucket(root.bucket()).key(key));
            } catch (SdkException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete the lease probe object {0}/{1}: {2}", root, rel,
                        e.getMessage());
            }
        }
    }

    /** True when the PUT succeeded, false on 412. */
    private static boolean probePut(S3Client client, S3Location root, String key, String content,
                                    PutObjectRequest.Builder req) throws IOException {
        try {
            client.putObject(req.bucket(root.bucket()).key(key).build(),
                    RequestBody.fromBytes(("imgstore lease probe: " + content + "\n").getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            throw S3StoreFiles.mapped(root.anchor().resolve(".imgstore-lease-probe"), "PUT (lease probe)", e);
        } catch (SdkException e) {
            throw S3StoreFiles.mapped(root.anchor().resolve(".imgstore-lease-probe"), "PUT (lease probe)", e);
        }
    }

    /**
     * Leases of the stores under one root: opened once (at start), after {@link #probe} found that the
     * server honours conditional creates.
     */
    public static final class Root {

        private final S3Client client;
        private final S3Location location;
        private final ConditionalWrites writes;

        private Root(S3Client client, S3Location location, ConditionalWrites writes) {
            this.client = client;
            this.location = location;
            this.writes = writes;
        }

        /**
         * Probes the server and opens the leases of the stores under {@code root}.
         *
         * @param allowUnsafe accept a server that ignores {@code If-None-Match: *} (the weaker mode of
         *                    {@link ConditionalWrites#NONE}); false refuses it
         * @throws UnsafeObjectLeasesException when the server ignores conditional creates and
         *                                     {@code allowUnsafe} is false
         * @throws IOException                 when the probe itself fails (permissions, network)
         */
        public static Root open(S3Client client, S3Location root, boolean allowUnsafe) throws IOException {
            ConditionalWrites w = probe(Objects.requireNonNull(client, "client"), Objects.requireNonNull(root, "root"));
            if (w == ConditionalWrites.NONE) {
                if (!allowUnsafe) {
                    throw new UnsafeObjectLeasesException(root);
                }
                LOG.log(System.Logger.Level.WARNING, "{0} ignores conditional writes (If-None-Match: *): writer "
                        + "leases on it are weaker (allow-unsafe-object-leases); two writers may overlap until the "
                        + "next renewal", root);
            } else if (w == ConditionalWrites.CREATE_ONLY) {
                LOG.log(System.Logger.Level.INFO, "{0} honours If-None-Match but not If-Match on PUT: lease renewals "
                        + "are unconditional puts", root);
            }
            return new Root(client, root, w);
        }

        /** What the probe found. */
        public ConditionalWrites conditionalWrites() {
            return writes;
        }

        public S3Location location() {
            return location;
        }

        /**
         * The lease of one store.
         *
         * @param store the store's path relative to the root, {@code '/'}-separated ({@code ""}: the root)
         * @throws IllegalArgumentException for a path that is not a valid key below the root
         */
        public S3LeaseFiles store(String store) {
            return new S3LeaseFiles(client, location, store, writes);
        }
    }
}
