package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.storage.s3.S3LeaseFiles;
import io.imgstore.format.storage.s3.S3LeaseFiles.ConditionalWrites;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.testing.S3Stub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lease protocol of {@link WriterLease} on object storage ({@link S3LeaseFiles}), the contract of
 * {@link WriterLeaseContractTest} (which {@link WriterLeaseTest} runs on local files), against {@link S3Stub}: a STUB answering conditional PUTs as AWS
 * S3 does (S3Proxy 2.6.0 ignores them; see S3LeaseFilesTest). Every test uses its own store prefix; time
 * passes by setting the injected clock, nothing sleeps.
 */
class S3WriterLeaseTest extends WriterLeaseContractTest {

    private static final String BUCKET = "leases";
    private static final S3Location ROOT = S3Location.parse("s3://" + BUCKET + "/root");

    private static S3Stub stub;
    private static S3Client client;
    private static S3LeaseFiles.Root root;
    private static int stores;

    private String store;

    @BeforeAll
    static void start() throws IOException {
        stub = S3Stub.start();
        client = stub.client();
        root = S3LeaseFiles.Root.open(client, ROOT, false);
    }

    @AfterAll
    static void stop() {
        client.close();
        stub.close();
    }

    @BeforeEach
    void newStore() {
        store = "lab/s" + (++stores);
    }

    @Override
    S3LeaseFiles files() {
        return root.store(store);
    }

    @Override
    String storeName() {
        return store;
    }

    @Override
    String leaseText(long gen) {
        S3Stub.StoredObject o = stub.get(BUCKET, "root/" + store + "/.lease." + gen);
        return o == null ? null : new String(o.bytes(), StandardCharsets.UTF_8);
    }

    @Override
    void writeRawLease(String name, byte[] bytes, long mtimeMillis) {
        stub.put(BUCKET, "root/" + store + "/" + name, bytes, Instant.ofEpochMilli(mtimeMillis));
    }

    @Override
    void plantOtherHostileLeaseNames() throws IOException {
        stub.put(BUCKET, "root/" + store + "/.lease.x", new byte[] {1}, Instant.ofEpochMilli(clock.millis()));
        stub.put(BUCKET, "root/" + store + "/.lease.99999999999999999999", new byte[] {1}, Instant.now());
        assertThat(files().highest()).as("only .lease.<up to 18 digits> count").hasValue(0);
    }

    @Test
    void theProbeFoundTheStubHonouringConditionalWrites() {
        assertThat(root.conditionalWrites()).isEqualTo(ConditionalWrites.FULL);
    }

    @Test
    @Override
    void theFirstWriterGetsGenerationZeroAndOthersAreRefusedWhileItIsFresh() throws IOException {
        int before = stub.conditionalPuts();
        super.theFirstWriterGetsGenerationZeroAndOthersAreRefusedWhileItIsFresh();
        assertThat(stub.conditionalPuts()).as("created with If-None-Match (the refused contender creates nothing)")
                .isEqualTo(before + 1);
    }

    /** Files whose overwrite lets another process rewrite the generation just before it. */
    private LeaseFiles racing(S3LeaseFiles real, byte[] other) {
        return new ForwardingLeaseFiles(real) {
            @Override
            public boolean overwrite(long gen, LeaseRecord record) throws IOException {
                stub.put(BUCKET, "root/" + store + "/.lease." + gen, other, Instant.now());
                return super.overwrite(gen, record);
            }
        };
    }

    @Test
    void aRenewalNeverClobbersAGenerationRewrittenBetweenItsReadAndItsWrite() throws IOException {
        // If-Match on the ETag the renewal read: a generation rewritten in between (by a process that does
        // not follow the protocol) stays as it is, and the renewal loses the lease
        byte[] other = new LeaseRecord(remote("c").id(), Long.MAX_VALUE, false).toText().getBytes(StandardCharsets.UTF_8);
        WriterLease a = WriterLease.acquire(racing(files(), other), remote("a"), clock, POLICY, store);
        clock.advance(5_000);
        assertThat(a.renew()).isFalse();
        assertThat(a.lostReason()).contains("replaced by another process during the renewal");
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class);
        assertThat(leaseText(0)).isEqualTo(new String(other, StandardCharsets.UTF_8));
    }

    @Test
    void onAServerWithoutIfMatchTheProbeSaysSoAndRenewalsAreUnconditional() throws IOException {
        stub.ignoreIfMatch(true);
        try {
            S3LeaseFiles.Root createOnly = S3LeaseFiles.Root.open(client, ROOT, false);
            assertThat(createOnly.conditionalWrites()).isEqualTo(ConditionalWrites.CREATE_ONLY);
            byte[] other = new LeaseRecord(remote("c").id(), Long.MAX_VALUE, false).toText()
                    .getBytes(StandardCharsets.UTF_8);
            WriterLease a = WriterLease.acquire(racing(createOnly.store(store), other), remote("a"), clock, POLICY,
                    store);
            clock.advance(5_000);
            // what the local rename does too: the write lands; only the next renewal would notice
            assertThat(a.renew()).isTrue();
            assertThat(leaseText(0)).contains(remote("a").id().replace(":", "\\:"));
        } finally {
            stub.ignoreIfMatch(false);
        }
    }

    @Test
    void storeLeaseHoldsAndReleasesALeaseOnObjectStorage() throws IOException {
        // takeOverDeadLocalOwners=false: holder() would count our own pid's lease as a dead local owner's
        WriterLeases.configure(new WriterLeasePolicy(Duration.ofSeconds(15), Duration.ofSeconds(5), false));
        String name = files().name();
        assertThat(name).isEqualTo("s3://" + BUCKET + "/root/" + store);
        try (StoreLease lease = StoreLease.acquire(files(), name)) {
            lease.check();
            assertThat(WriterLeases.holder(files())).contains(lease.owner());
            assertThat(lease.renewNow()).isTrue();
            assertThatThrownBy(() -> StoreLease.acquire(files(), name)).isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("already open for writing in this process");
        }
        assertThat(WriterLeases.holder(files())).as("released at close").isEmpty();
        assertThat(leaseText(0)).contains("released=true");
        try (StoreLease next = StoreLease.acquire(files(), name)) {
            assertThat(next.generation()).isEqualTo(1);
            assertThat(WriterLeases.holder(files())).contains(next.owner());
        }
    }
}
