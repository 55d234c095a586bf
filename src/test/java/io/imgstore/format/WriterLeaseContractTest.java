package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease protocol of {@link WriterLease} that every {@link LeaseFiles} must give, written once:
 * {@link WriterLeaseTest} runs it on local files ({@link LocalLeaseFiles}), {@link S3WriterLeaseTest}
 * on object storage ({@code S3LeaseFiles} against an S3 stub), each adding what only its storage has.
 * Time passes by setting the injected clock; nothing sleeps.
 */
abstract class WriterLeaseContractTest {

    static final WriterLeasePolicy POLICY = new WriterLeasePolicy(Duration.ofSeconds(15), Duration.ofSeconds(5), true);
    static final long TTL = 15_000;

    final MutableClock clock = new MutableClock(1_800_000_000_000L);

    /** A fresh instance on the test's store, as another process would have. */
    abstract LeaseFiles files();

    /** The store's name in lease messages. */
    abstract String storeName();

    /** The text of lease generation {@code gen} as stored, null when there is none. */
    abstract String leaseText(long gen) throws IOException;

    /** Stores {@code bytes} under the store's lease name {@code name}, last modified at {@code mtimeMillis}. */
    abstract void writeRawLease(String name, byte[] bytes, long mtimeMillis) throws IOException;

    @AfterEach
    void defaults() {
        WriterLeases.configure(WriterLeasePolicy.DEFAULT);
    }

    /** An owner on another machine (so never "dead on this host"). */
    static LeaseOwner remote(String name) {
        return new LeaseOwner("other-host-" + name, "deadbeef", 4242, name);
    }

    WriterLease acquire(LeaseOwner owner) {
        return WriterLease.acquire(files(), owner, clock, POLICY, storeName());
    }

    @Test
    void theFirstWriterGetsGenerationZeroAndOthersAreRefusedWhileItIsFresh() throws IOException {
        WriterLease a = acquire(remote("a"));
        assertThat(a.generation()).isZero();
        assertThat(a.expiresAt()).isEqualTo(clock.millis() + TTL);
        assertThat(leaseText(0)).contains("owner=" + remote("a").id().replace(":", "\\:"));

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
        assertThat(leaseText(0)).as("older generations removed").isNull();

        assertThat(a.renew()).isFalse();
        assertThat(a.isLost()).isTrue();
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
        // a contender with a clock far ahead took it over (skew larger than the margin)
        assertThat(files().createNew(1, new LeaseRecord(remote("b").id(), clock.millis() + TTL, false))).isTrue();
        clock.advance(5_000);
        assertThat(a.renew()).isFalse();
        assertThat(a.lostReason()).contains("taken over by " + remote("b").id());
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void aReleasedLeaseIsFreeAtOnceAndGenerationsKeepIncreasing() throws IOException {
        WriterLease a = acquire(remote("a"));
        a.release();
        assertThat(leaseText(0)).contains("released=true");
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
        // B creates generation 0 between A's look at the generations and A's create: A's create fails
        // (locally link(2) finds the file, on S3 the conditional PUT gets 412), A looks again and is refused
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
                LeaseFiles own = files(); // each contender its own instance, as separate processes
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        WriterLease.acquire(own, o, clock, POLICY, storeName());
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
    void unreadableOrHostileLeasesCountAsHeldUntilTheirMtimePlusTheTtl() throws IOException {
        // large and not a record: read within bounds, held by "unknown" until its mtime + TTL
        writeRawLease(".lease.0", new byte[100_000], clock.millis());
        plantOtherHostileLeaseNames();
        assertThatThrownBy(() -> acquire(remote("a"))).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("unknown");
        clock.advance(TTL + 1);
        assertThat(acquire(remote("a")).generation()).isEqualTo(1);
        assertThatThrownBy(() -> LeaseRecord.parse("owner=x\nexpires-at-millis=soon\nreleased=false"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Called after a hostile generation 0 is planted: a storage adds lease names that must not count
     * as generations (checking that they do not); nothing by default.
     */
    void plantOtherHostileLeaseNames() throws IOException {
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Delegates everything; tests override one step to interleave another process. */
    static class ForwardingLeaseFiles implements LeaseFiles {
        private final LeaseFiles d;

        ForwardingLeaseFiles(LeaseFiles d) {
            this.d = d;
        }

        @Override
        public OptionalLong highest() throws IOException {
            return d.highest();
        }

        @Override
        public boolean exists(long gen) throws IOException {
            return d.exists(gen);
        }

        @Override
        public Optional<LeaseRecord> read(long gen, long ttlMillis) throws IOException {
            return d.read(gen, ttlMillis);
        }

        @Override
        public boolean createNew(long gen, LeaseRecord record) throws IOException {
            return d.createNew(gen, record);
        }

        @Override
        public boolean overwrite(long gen, LeaseRecord record) throws IOException {
            return d.overwrite(gen, record);
        }

        @Override
        public void deleteBelow(long gen) throws IOException {
            d.deleteBelow(gen);
        }
    }
}
