package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.testing.Barcode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease protocol of {@link WriterLease} on real files ({@link LocalLeaseFiles}) with an injected
 * clock: nothing here sleeps; time passes by setting the clock.
 */
class WriterLeaseTest {

    private static final WriterLeasePolicy POLICY = new WriterLeasePolicy(Duration.ofSeconds(15), Duration.ofSeconds(5), true);
    private static final long TTL = 15_000;
    private static final long MARGIN = 3_000;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_800_000_000_000L);

    @AfterEach
    void defaults() {
        WriterLeases.configure(WriterLeasePolicy.DEFAULT);
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

    /** An owner on another machine (so never "dead on this host"). */
    private static LeaseOwner remote(String name) {
        return new LeaseOwner("other-host-" + name, "deadbeef", 4242, name);
    }

    private WriterLease acquire(LeaseOwner owner) {
        return WriterLease.acquire(new LocalLeaseFiles(dir), owner, clock, POLICY, "s");
    }

    @Test
    void theFirstWriterGetsGenerationZeroAndOthersAreRefusedWhileItIsFresh() throws IOException {
        WriterLease a = acquire(remote("a"));
        assertThat(a.generation()).isZero();
        assertThat(a.expiresAt()).isEqualTo(clock.millis() + TTL);
        assertThat(Files.readString(dir.resolve(".lease.0"))).contains("owner=" + remote("a").id().replace(":", "\\:"));

        clock.advance(TTL); // exactly at the expiry: still held
        assertThatThrownBy(() -> acquire(remote("b"))).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("other-host-a").hasMessageContaining("being written by another process");
        assertThat(new LocalLeaseFiles(dir).highest()).hasValue(0);
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsOldOwnerFindsItLost() throws IOException {
        WriterLease a = acquire(remote("a"));
        clock.advance(TTL + 1);
        WriterLease b = acquire(remote("b"));
        assertThat(b.generation()).isEqualTo(1);
        assertThat(dir.resolve(".lease.0")).as("older generations removed").doesNotExist();

        assertThat(a.renew()).isFalse();
        assertThat(a.isLost()).isTrue();
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class);
        assertThat(b.renew()).isTrue();
        b.check();
    }

    @Test
    void renewalKeepsTheLeaseBeyondItsFirstExpiry() {
        WriterLease a = acquire(remote("a"));
        for (int i = 0; i < 10; i++) {
            clock.advance(5_000);
            assertThat(a.renew()).isTrue();
            a.check();
        }
        assertThat(a.expiresAt()).isEqualTo(clock.millis() + TTL);
        clock.advance(TTL - 1);
        assertThatThrownBy(() -> acquire(remote("b"))).isInstanceOf(StoreLockedException.class);
    }

    @Test
    void aWriterWhoseRenewalIsOverdueStopsBeforeTheExpiryAndDoesNotRenewLate() {
        WriterLease a = acquire(remote("a"));
        clock.advance(TTL - MARGIN - 1);
        a.check(); // still within the lease minus the margin
        clock.advance(1);
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class).hasMessageContaining("overdue");
        assertThat(a.renew()).as("a late renewal never extends a lease a contender may already see expired").isFalse();
    }

    @Test
    void aRenewalThatFindsANewerGenerationLosesTheLease() throws IOException {
        WriterLease a = acquire(remote("a"));
        // a contender with a clock far ahead took it over (skew larger than the margin)
        assertThat(new LocalLeaseFiles(dir).createNew(1, new LeaseRecord(remote("b").id(), clock.millis() + TTL, false)))
                .isTrue();
        clock.advance(5_000);
        assertThat(a.renew()).isFalse();
        assertThat(a.lostReason()).contains("taken over by " + remote("b").id());
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void aReleasedLeaseIsFreeAtOnceAndGenerationsKeepIncreasing() throws IOException {
        WriterLease a = acquire(remote("a"));
        a.release();
        assertThat(Files.readString(dir.resolve(".lease.0"))).contains("released=true");
        WriterLease b = acquire(remote("b"));
        assertThat(b.generation()).isEqualTo(1);
        assertThatThrownBy(a::check).isInstanceOf(LeaseLostException.class);
        assertThat(WriterLease.holder(new LocalLeaseFiles(dir), clock, POLICY)).get()
                .extracting(LeaseRecord::owner).isEqualTo(remote("b").id());
        b.release();
        assertThat(WriterLease.holder(new LocalLeaseFiles(dir), clock, POLICY)).isEmpty();
    }

    @Test
    void ofTwoContendersForTheSameGenerationExactlyOneWins() throws IOException {
        // B creates generation 0 between A's look at the folder and A's create: A's create fails, A looks
        // again and is refused
        LocalLeaseFiles real = new LocalLeaseFiles(dir);
        LeaseFiles interleaved = new ForwardingLeaseFiles(real) {
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
        assertThat(real.highest()).hasValue(0);
        assertThat(real.read(0, TTL)).get().extracting(LeaseRecord::owner).isEqualTo(remote("b").id());
    }

    @Test
    void aContenderThatSawAnOldListingLosesTheVerification() throws IOException {
        // A's listing says generation 0 is the newest (stale), so A creates 1; but 2 already exists
        LocalLeaseFiles real = new LocalLeaseFiles(dir);
        real.createNew(0, new LeaseRecord(remote("old").id(), clock.millis() - 1, false));
        real.createNew(2, new LeaseRecord(remote("c").id(), clock.millis() + TTL, false));
        LeaseFiles stale = new ForwardingLeaseFiles(real) {
            int calls;

            @Override
            public OptionalLong highest() throws IOException {
                return calls++ == 0 ? OptionalLong.of(0) : super.highest();
            }
        };
        assertThatThrownBy(() -> WriterLease.acquire(stale, remote("a"), clock, POLICY, "s"))
                .isInstanceOf(StoreLockedException.class).hasMessageContaining("at the same time");
        assertThat(real.read(2, TTL)).get().extracting(LeaseRecord::owner).isEqualTo(remote("c").id());
    }

    @Test
    void manyThreadsRacingForAnExpiredLeaseGiveOneWinner() throws Exception {
        acquire(remote("dead"));
        clock.advance(TTL + 1);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LeaseOwner o = remote("t" + i);
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        acquire(o);
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
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeadOwnerOnThisMachineIsTakenOverAtOnceOnlyWhenThePolicySaysSo() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        LeaseOwner me = LeaseOwner.newOwner();
        LeaseOwner dead = new LeaseOwner(me.host(), me.boot(), p.pid(), "dead");
        Optional<LeaseOwner> parsed = LeaseOwner.parse(dead.id());
        assertThat(parsed).contains(dead);
        new LocalLeaseFiles(dir).createNew(0, new LeaseRecord(dead.id(), clock.millis() + TTL, false));

        WriterLeasePolicy waiting = new WriterLeasePolicy(Duration.ofSeconds(15), Duration.ofSeconds(5), false);
        assertThatThrownBy(() -> WriterLease.acquire(new LocalLeaseFiles(dir), me, clock, waiting, "s"))
                .isInstanceOf(StoreLockedException.class);
        if (!"-".equals(me.boot())) {
            assertThat(WriterLease.acquire(new LocalLeaseFiles(dir), me, clock, POLICY, "s").generation()).isEqualTo(1);
        }
        // the same pid on another machine is not known to be dead
        assertThat(new LeaseOwner("elsewhere", me.boot(), p.pid(), "x").deadOnThisHost()).isFalse();
        assertThat(new LeaseOwner(me.host(), me.boot(), ProcessHandle.current().parent().orElseThrow().pid(), "x")
                .deadOnThisHost()).as("a live process").isFalse();
    }

    @Test
    void unreadableOrHostileLeaseFilesCountAsHeldUntilTheirMtimePlusTheTtl() throws IOException {
        Path garbage = dir.resolve(".lease.0");
        Files.write(garbage, new byte[100_000]); // large and not a record: read within bounds
        Files.setLastModifiedTime(garbage, java.nio.file.attribute.FileTime.fromMillis(clock.millis()));
        assertThatThrownBy(() -> acquire(remote("a"))).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("unknown");
        clock.advance(TTL + 1);
        assertThat(acquire(remote("a")).generation()).isEqualTo(1);
        assertThatThrownBy(() -> LeaseRecord.parse("owner=x\nexpires-at-millis=soon\nreleased=false"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writersHoldLeasesAndARecoveryWaitsForAFreshOneEvenOnTheSameMachine() {
        WriterLeases.configure(new WriterLeasePolicy(Duration.ofSeconds(60), Duration.ofSeconds(20), false));
        Path store = dir.resolve("s");
        ImgStoreWriter w = ImgStoreWriter.create(store, StoreSpec.of(StoreFormat.NPY, 20, 32).withChunksize(5));
        for (int i = 0; i < 7; i++) {
            w.addImage(Barcode.draw(i, 20, 32, 1, PixelType.UINT8), i, i);
        }
        assertThat(WriterLeases.holder(store)).get().asString().contains(":" + ProcessHandle.current().pid() + ":");
        w.abandon(); // kill -9: the OS lock goes, the lease stays
        assertThatThrownBy(() -> ImgStoreWriter.recover(store)).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("lease valid");
        assertThat(store.resolve("000001/index.journal")).as("a refused recovery changes nothing").exists();

        WriterLeases.configure(WriterLeasePolicy.DEFAULT); // the default takes over a dead owner of this machine
        try (ImgStoreWriter again = ImgStoreWriter.recover(store)) {
            assertThat(again.frameCount()).isEqualTo(7);
        }
        assertThat(WriterLeases.holder(store)).as("released at close").isEmpty();
        assertThat(store.resolve(".lock")).doesNotExist();
    }

    @Test
    void aWriterWhoseLeaseWasTakenOverWritesNothingMoreNotEvenAtClose() throws IOException {
        Path store = dir.resolve("s");
        ImgStoreWriter w = ImgStoreWriter.create(store, StoreSpec.of(StoreFormat.NPY, 20, 32).withChunksize(5));
        for (int i = 0; i < 7; i++) {
            w.addImage(Barcode.draw(i, 20, 32, 1, PixelType.UINT8), i, i);
        }
        LocalLeaseFiles files = new LocalLeaseFiles(store);
        long g = files.highest().orElseThrow();
        // another machine took the store over (its clock far ahead of ours)
        assertThat(files.createNew(g + 1, new LeaseRecord(remote("b").id(), Long.MAX_VALUE, false))).isTrue();
        assertThat(w.renewLeaseNow()).isFalse();
        assertThat(w.leaseLost()).isTrue();
        assertThatThrownBy(() -> w.addImage(Barcode.draw(7, 20, 32, 1, PixelType.UINT8), 7, 7))
                .isInstanceOf(LeaseLostException.class).hasMessageContaining("taken over by " + remote("b").id());
        assertThatThrownBy(w::close).isInstanceOf(LeaseLostException.class);
        assertThat(store.resolve("000001/index.journal")).as("the open chunk is left to the new owner").exists();
        assertThat(store.resolve("000001/index.npz")).doesNotExist();
        assertThat(store.resolve(".lock")).exists();
        assertThat(files.read(g + 1, TTL)).get().extracting(LeaseRecord::owner).isEqualTo(remote("b").id());
        w.close(); // idempotent once abandoned
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
