package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.WriterLeaseTest.ForwardingLeaseFiles;
import io.imgstore.format.WriterLeaseTest.MutableClock;
import io.imgstore.format.storage.s3.S3LeaseFiles;
import io.imgstore.format.storage.s3.S3LeaseFiles.ConditionalWrites;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.testing.S3Stub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lease protocol of {@link WriterLease} on object storage ({@link S3LeaseFiles}), the same contract as
 * {@link WriterLeaseTest} on local files, against {@link S3Stub}: a STUB answering conditional PUTs as AWS
 * S3 does (S3Proxy 2.6.0 ignores them; see S3LeaseFilesTest). Every test uses its own store prefix; time
 * passes by setting the injected clock, nothing sleeps.
 */
class S3WriterLeaseTest {

    private static final WriterLeasePolicy POLICY = new WriterLeasePolicy(Duration.ofSeconds(15), Duration.ofSeconds(5), true);
    private static final long TTL = 15_000;
    private static final String BUCKET = "leases";
    private static final S3Location ROOT = S3Location.parse("s3://" + BUCKET + "/root");

    private static S3Stub stub;
    private static S3Client client;
    private static S3LeaseFiles.Root root;
    private static int stores;

    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
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

    @AfterEach
    void defaults() {
        WriterLeases.configure(WriterLeasePolicy.DEFAULT);
    }

    /** A fresh instance, as another process would have. */
    private S3LeaseFiles files() {
        return root.store(store);
    }

    private static LeaseOwner remote(String name) {
        return new LeaseOwner("other-host-" + name, "deadbeef", 4242, name);
    }

    private WriterLease acquire(LeaseOwner owner) {
        return WriterLease.acquire(files(), owner, clock, POLICY, store);
    }

    private String objectText(long gen) {
        S3Stub.StoredObject o = stub.get(BUCKET, "root/" + store + "/.lease." + gen);
        return o == null ? null : new String(o.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theProbeFoundTheStubHonouringConditionalWrites() {
        assertThat(root.conditionalWrites()).isEqualTo(ConditionalWrites.FULL);
    }

    @Test
    void theFirstWriterGetsGenerationZeroAndOthersAreRefusedWhileItIsFresh() throws IOException {
        int before = stub.conditionalPuts();
        WriterLease a = acquire(remote("a"));
        assertThat(a.generation()).isZero();
        assertThat(stub.conditionalPuts()).as("created with If-None-Match").isEqualTo(before + 1);
        assertThat(objectText(0)).contains("owner=" + remote("a").id().replace(":", "\\:"));

        clock.advance(TTL); // exactly at the expiry: still held
        assertThatThrownBy(() -> acquire(remote("b"))).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("other-host-a").hasMessageContaining("being written by another process");
        assertThat(files().highest()).hasValue(0);
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsOldOwnerFindsItLost() throws IOException {
        WriterLease a = acquire(remote("a"));
        clock.advance(TTL + 1);
        WriterLease b = acquire(remote("b"));
        assertThat(b.generation()).isEqualTo(1);
        assertThat(objectText(0)).as("older generations deleted").isNull();

        assertThat(a.renew()).isFalse();
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class);
        assertThat(b.renew()).isTrue();
        b.check();
    }

    @Test
    void renewalKeepsTheLeaseBeyondItsFirstExpiry() throws IOException {
        WriterLease a = acquire(remote("a"));
        for (int i = 0; i < 10; i++) {
            clock.advance(5_000);
            assertThat(a.renew()).isTrue();
            a.check();
        }
        assertThat(a.expiresAt()).isEqualTo(clock.millis() + TTL);
        assertThat(files().read(0, TTL)).get().extracting(LeaseRecord::expiresAt).isEqualTo(clock.millis() + TTL);
        clock.advance(TTL - 1);
        assertThatThrownBy(() -> acquire(remote("b"))).isInstanceOf(StoreLockedException.class);
    }

    @Test
    void aRenewalThatFindsANewerGenerationLosesTheLease() throws IOException {
        WriterLease a = acquire(remote("a"));
        assertThat(files().createNew(1, new LeaseRecord(remote("b").id(), clock.millis() + TTL, false))).isTrue();
        clock.advance(5_000);
        assertThat(a.renew()).isFalse();
        assertThat(a.lostReason()).contains("taken over by " + remote("b").id());
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class);
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
        assertThat(objectText(0)).isEqualTo(new String(other, StandardCharsets.UTF_8));
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
            assertThat(objectText(0)).contains(remote("a").id().replace(":", "\\:"));
        } finally {
            stub.ignoreIfMatch(false);
        }
    }

    @Test
    void aReleasedLeaseIsFreeAtOnceAndGenerationsKeepIncreasing() throws IOException {
        WriterLease a = acquire(remote("a"));
        a.release();
        assertThat(objectText(0)).contains("released=true");
        WriterLease b = acquire(remote("b"));
        assertThat(b.generation()).isEqualTo(1);
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class);
        assertThat(WriterLease.holder(files(), clock, POLICY)).get()
                .extracting(LeaseRecord::owner).isEqualTo(remote("b").id());
        b.release();
        assertThat(WriterLease.holder(files(), clock, POLICY)).isEmpty();
    }

    @Test
    void ofTwoContendersForTheSameGenerationExactlyOneWins() throws IOException {
        // B creates generation 0 between A's listing and A's conditional create: A's PUT gets 412, A looks
        // again and is refused
        LeaseFiles interleaved = new ForwardingLeaseFiles(files()) {
            boolean first = true;

            @Override
            public boolean createNew(long gen, LeaseRecord record) throws IOException {
                if (first) {
                    first = false;
                    acquire(remote("b"));
                }
                return super.createNew(gen, record);
            }
        };
        assertThatThrownBy(() -> WriterLease.acquire(interleaved, remote("a"), clock, POLICY, "s"))
                .isInstanceOf(StoreLockedException.class).hasMessageContaining("other-host-b");
        assertThat(files().highest()).hasValue(0);
        assertThat(files().read(0, TTL)).get().extracting(LeaseRecord::owner).isEqualTo(remote("b").id());
    }

    @Test
    void manyContendersRacingForAnExpiredLeaseGiveOneWinner() throws Exception {
        acquire(remote("dead"));
        clock.advance(TTL + 1);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LeaseOwner o = remote("t" + i);
                S3LeaseFiles own = files(); // each contender its own instance, as separate processes
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        WriterLease.acquire(own, o, clock, POLICY, store);
                        return true;
                    } catch (StoreLockedException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(files().highest()).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hostileLeaseObjectsCountAsHeldUntilTheirLastModifiedPlusTheTtl() throws IOException {
        // large and not a record: read within bounds, held by "unknown" until Last-Modified + TTL
        stub.put(BUCKET, "root/" + store + "/.lease.0", new byte[100_000], Instant.ofEpochMilli(clock.millis()));
        stub.put(BUCKET, "root/" + store + "/.lease.x", new byte[] {1}, Instant.ofEpochMilli(clock.millis()));
        stub.put(BUCKET, "root/" + store + "/.lease.99999999999999999999", new byte[] {1}, Instant.now());
        assertThat(files().highest()).as("only .lease.<up to 18 digits> count").hasValue(0);
        assertThatThrownBy(() -> acquire(remote("a"))).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("unknown");
        clock.advance(TTL + 1);
        assertThat(acquire(remote("a")).generation()).isEqualTo(1);
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
        assertThat(objectText(0)).contains("released=true");
        try (StoreLease next = StoreLease.acquire(files(), name)) {
            assertThat(next.generation()).isEqualTo(1);
            assertThat(WriterLeases.holder(files())).contains(next.owner());
        }
    }
}
