package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.WriterCrashes;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreProperties;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.testing.Barcode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery and shutdown of {@link IngestSessions}, without the web layer. */
class IngestSessionsTest {

    @TempDir
    Path root;

    private IngestSessions start() {
        StoreProperties sp = new StoreProperties(root, false, 4, Duration.ofMinutes(1), 1, Duration.ofMillis(1));
        StoreCatalog catalog = new StoreCatalog(sp);
        IngestSessions s = new IngestSessions(catalog, new StoreRegistry(catalog, sp, new SimpleMeterRegistry()),
                IngestProperties.defaults(), new SimpleMeterRegistry());
        new IngestRecovery(s, catalog).recover();
        return s;
    }

    private static void push(WriterSession session, long from, long to) throws Exception {
        try (WriterSession.Stream st = session.openStream("test", null)) {
            session.decoder(IngestProperties.defaults()).readFrom(
                    new ByteArrayInputStream(Records.frames(from, to, 48, 64, 1)), st::submit);
            assertThat(st.drain()).isEqualTo(to - from);
        }
    }

    private static void assertFrames(Path dir, List<Long> numbers) {
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameCount()).isEqualTo(numbers.size());
            for (int i = 0; i < numbers.size(); i++) {
                assertThat(s.getFrameByIndex(i).info().frameNumber()).isEqualTo(numbers.get(i));
                assertThat(Barcode.decode(s.getFrameByIndex(i).image())).isEqualTo(Barcode.expected(numbers.get(i)));
            }
        }
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.range(from, to).boxed().toList();
    }

    @Test
    void gracefulShutdownClosesCleanlyAndTheNextStartReopensForContinuation() throws Exception {
        IngestSessions first = start();
        WriterSession s = first.create(new CreateStoreRequest("lab/rig1", "npy", List.of(48, 64), "uint8", 10,
                Map.of(), null));
        push(s, 0, 15);
        first.shutdown();
        Path dir = root.resolve("lab/rig1");
        assertThat(dir.resolve(".lock")).doesNotExist(); // closed cleanly: Python can open it
        assertThat(Files.readAllLines(root.resolve(".ingest/reopen"))).containsExactly("lab/rig1");
        assertFrames(dir, range(0, 15));

        IngestSessions second = start();
        WriterSession again = second.find("lab~rig1");
        assertThat(again).isNotNull();
        assertThat(again.frameCount()).isEqualTo(15);
        assertThat(root.resolve(".ingest/reopen")).doesNotExist();
        push(again, 15, 20);
        second.close("lab~rig1");
        assertFrames(dir, range(0, 20));
        // a store closed on purpose is not reopened
        second.shutdown();
        assertThat(start().find("lab~rig1")).isNull();
    }

    @Test
    void storeLeftOpenByAKilledWriterIsRecoveredAtStartAndOnDemand() throws Exception {
        for (String name : List.of("crashed/at_start", "crashed/on_demand")) {
            Path dir = root.resolve(name);
            ImgStoreWriter w = ImgStoreWriter.create(dir, new StoreSpec(StoreFormat.NPY, new int[] {48, 64},
                    PixelType.UINT8, 10, Map.of(), null, null));
            for (long n = 0; n < 13; n++) {
                w.addImage(Barcode.draw(n, 48, 64, 1, PixelType.UINT8), n, n);
            }
            WriterCrashes.abandon(w); // what kill -9 leaves
            assertThat(dir.resolve(".lock")).exists();
        }
        // the second one appears after the start (e.g. copied in): recovered when a client writes to it
        Path later = root.resolve("crashed/on_demand");
        Path hidden = Files.createTempDirectory("ingest-outside").resolve("s"); // outside the root
        Files.move(later, hidden);
        IngestSessions sessions = start();
        assertThat(sessions.find("crashed~at_start").frameCount()).isEqualTo(13);
        Files.move(hidden, later);
        assertThat(sessions.find("crashed~on_demand")).isNull();
        WriterSession onDemand = sessions.session("crashed~on_demand");
        assertThat(onDemand.frameCount()).isEqualTo(13);
        for (String id : List.of("crashed~at_start", "crashed~on_demand")) {
            push(sessions.session(id), 100, 103);
            sessions.close(id);
        }
        List<Long> expected = new java.util.ArrayList<>(range(0, 13));
        expected.addAll(range(100, 103));
        assertFrames(root.resolve("crashed/at_start"), expected);
        assertFrames(later, expected);
        assertThatThrownBy(() -> sessions.session("crashed~at_start")).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void aStoreWithALinkLeadingOutsideIsNotReopenedForWriting(@TempDir Path outside) throws Exception {
        Path dir = root.resolve("lab/linked");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 48, 64).withChunksize(10))) {
            for (int i = 0; i < 3; i++) {
                w.addImage(Barcode.draw(i, 48, 64, 1, PixelType.UINT8), i, i);
            }
        }
        Path victim = Files.writeString(outside.resolve("victim.json"), "[{\"keep\": 1}");
        Files.createSymbolicLink(dir.resolve("000000/index.extra.json"), victim);
        Files.createFile(dir.resolve(".lock")); // left open by a killed server
        IngestSessions s = start();
        try {
            assertThat(s.find("lab~linked")).isNull();
            assertThat(Files.readString(victim)).isEqualTo("[{\"keep\": 1}");
        } finally {
            s.shutdown();
        }
    }

    @Test
    void aStoreWhoseLeaseIsHeldIsLeftAloneAtStartAndRefusedUntilTheLeaseIsFree() throws Exception {
        // another replica's writer: a lease that this process may not take over before its expiry
        io.imgstore.format.WriterLeases.configure(
                new ClusterProperties(Duration.ofMinutes(5), null, false, null, null).policy());
        try {
            Path dir = root.resolve("cluster/held");
            ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 48, 64).withChunksize(10));
            for (int i = 0; i < 13; i++) {
                w.addImage(Barcode.draw(i, 48, 64, 1, PixelType.UINT8), i, i);
            }
            WriterCrashes.abandon(w);
            IngestSessions replica = start();
            assertThat(replica.find("cluster~held")).as("not recovered at start").isNull();
            assertThat(dir.resolve("000001/index.journal")).as("files untouched").exists();
            assertThatThrownBy(() -> replica.session("cluster~held"))
                    .isInstanceOf(io.imgstore.format.StoreLockedException.class).hasMessageContaining("lease");

            // the lease becomes free (here: its owner is known dead on this machine): the next request recovers it
            io.imgstore.format.WriterLeases.configure(new ClusterProperties(Duration.ofMinutes(5), null, true, null, null).policy());
            WriterSession s = replica.session("cluster~held");
            assertThat(s.frameCount()).isEqualTo(13);
            push(s, 13, 15);
            replica.close("cluster~held");
            assertFrames(dir, range(0, 15));
        } finally {
            io.imgstore.format.WriterLeases.configure(io.imgstore.format.WriterLeasePolicy.DEFAULT);
        }
    }

    @Test
    void anIdleStoreIsHandedOverWithItsLeaseReleasedAndAnotherReplicaContinuesItAtOnce() throws Exception {
        IngestSessions a = start();
        WriterSession s = a.create(new CreateStoreRequest("cluster/idle", "npy", List.of(48, 64), "uint8", 10,
                Map.of(), null));
        push(s, 0, 13);
        Path dir = root.resolve("cluster/idle");
        IngestSessions b = start(); // a second replica over the same root
        assertThatThrownBy(() -> b.session("cluster~idle")).isInstanceOf(io.imgstore.format.StoreLockedException.class);

        assertThat(a.releaseIdle(Duration.ofHours(1))).as("not idle for an hour").isZero();
        assertThat(a.releaseIdle(Duration.ZERO)).isEqualTo(1);
        assertThat(a.find("cluster~idle")).isNull();
        assertThat(dir.resolve(".lock")).as("still open for writing").exists();
        assertThat(io.imgstore.format.WriterLeases.holder(dir)).as("lease released").isEmpty();
        assertThat(dir.resolve("000001/index.npz")).as("the open chunk finished with its index").exists();

        WriterSession continued = b.session("cluster~idle");
        assertThat(continued.frameCount()).isEqualTo(13);
        push(continued, 13, 20);
        b.close("cluster~idle");
        assertFrames(dir, range(0, 20));
        assertThatThrownBy(() -> a.session("cluster~idle")).isInstanceOf(StoreClosedException.class);
    }
}
