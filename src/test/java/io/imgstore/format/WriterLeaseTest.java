package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.testing.Barcode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease protocol of {@link WriterLease} on real files ({@link LocalLeaseFiles}): the contract of
 * {@link WriterLeaseContractTest}, and what needs a local folder (dead owners of this machine, stale
 * listings, writers and recovery). Nothing here sleeps; time passes by setting the clock.
 */
class WriterLeaseTest extends WriterLeaseContractTest {

    private static final long MARGIN = 3_000;

    @TempDir
    Path dir;

    @Override
    LeaseFiles files() {
        return new LocalLeaseFiles(dir);
    }

    @Override
    String storeName() {
        return "s";
    }

    @Override
    String leaseText(long gen) throws IOException {
        Path p = dir.resolve(".lease." + gen);
        return Files.exists(p) ? Files.readString(p) : null;
    }

    @Override
    void writeRawLease(String name, byte[] bytes, long mtimeMillis) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(mtimeMillis));
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
}
