package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.LeaseLostException;
import io.imgstore.format.LeaseRecord;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreLockedException;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.storage.s3.S3LeaseFiles.ConditionalWrites;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreNotInRootException;
import io.imgstore.service.catalog.StoreProperties;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.S3Proxies;
import io.imgstore.testing.S3Stub;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writer leases of spooled ingest on an object-storage root ({@link SpoolTarget}, {@link IngestSessions}):
 * against {@link S3Stub} (answers conditional PUTs as AWS S3) a store whose lease another replica holds is
 * refused (409, nothing written) and taken over once that lease has expired; two services over one bucket
 * never write one store; recovery at start leaves a spool whose lease another owner holds; the lease is
 * released only after the upload. Against S3Proxy 2.6.0 (ignores conditional PUTs) ingest is refused unless
 * {@code allow-unsafe-object-leases}.
 */
class SpoolLeaseTest {

    static final String BUCKET = "spool-lease";
    static final S3Location ROOT = S3Location.parse("s3://" + BUCKET + "/lab");
    /** Another replica, on another machine: never taken over as a dead local process. */
    static final String OTHER = "other-host:00000000-0000-0000-0000-000000000000:4242:feedface";

    @TempDir
    Path tmp;
    S3Stub stub;
    S3Client client;

    @BeforeEach
    void startStub() throws Exception {
        stub = S3Stub.start();
        client = stub.client();
    }

    @AfterEach
    void stopStub() {
        client.close();
        stub.close();
    }

    private IngestSessions service(String name, S3Client c, boolean allowUnsafe) throws Exception {
        Path rootDir = Files.createDirectories(tmp.resolve(name + "-root"));
        StoreProperties sp = new StoreProperties(rootDir, false, 4, Duration.ofMinutes(1), 1, Duration.ofMillis(1));
        StoreCatalog catalog = new StoreCatalog(sp);
        SpoolTarget spool = new SpoolTarget(Files.createDirectories(tmp.resolve(name + "-spool")), c, ROOT,
                allowUnsafe);
        return new IngestSessions(catalog, new StoreRegistry(catalog, sp, new SimpleMeterRegistry()),
                IngestProperties.defaults(), new SimpleMeterRegistry(), WriterLimit.unlimited(), spool);
    }

    private static CreateStoreRequest request(String path) {
        return new CreateStoreRequest(path, "npy", List.of(48, 64), "uint8", 5, Map.of(), null);
    }

    private static void push(WriterSession session, long from, long to) throws Exception {
        try (WriterSession.Stream st = session.openStream("test", null)) {
            session.decoder(IngestProperties.defaults()).readFrom(
                    new ByteArrayInputStream(Records.frames(from, to, 48, 64, 1)), st::submit);
            assertThat(st.drain()).isEqualTo(to - from);
        }
    }

    private void foreignLease(String store, long gen, long expiresAt) {
        stub.put(BUCKET, "lab/" + store + "/.lease." + gen,
                new LeaseRecord(OTHER, expiresAt, false).toText().getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    private LeaseRecord lease(String store, long gen) {
        S3Stub.StoredObject o = stub.get(BUCKET, "lab/" + store + "/.lease." + gen);
        assertThat(o).as("lease generation %d of %s", gen, store).isNotNull();
        return LeaseRecord.parse(new String(o.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aStoreWhoseLeaseAnotherReplicaHoldsIsRefusedThenTakenOverAfterExpiry() throws Exception {
        IngestSessions s = service("a", client, false);
        foreignLease("rig1", 0, System.currentTimeMillis() + 3_600_000);

        assertThatThrownBy(() -> s.create(request("rig1"))).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining(OTHER);
        assertThat(tmp.resolve("a-spool/rig1")).as("nothing written").doesNotExist();
        assertThat(lease("rig1", 0).owner()).isEqualTo(OTHER);

        foreignLease("rig1", 0, System.currentTimeMillis() - 1_000); // that replica died: its lease expired
        WriterSession w = s.create(request("rig1"));
        LeaseRecord mine = lease("rig1", 1);
        assertThat(mine.owner()).isNotEqualTo(OTHER);
        assertThat(mine.released()).isFalse();
        push(w, 0, 7);
        s.close("rig1");

        assertThat(stub.get(BUCKET, "lab/rig1/metadata.yaml")).as("uploaded").isNotNull();
        assertThat(tmp.resolve("a-spool/rig1")).as("spool removed after the upload").doesNotExist();
        assertThat(lease("rig1", 1).released()).as("released after the upload").isTrue();
    }

    @Test
    void twoServicesOverOneBucketNeverWriteOneStore() throws Exception {
        IngestSessions a = service("a", client, false);
        IngestSessions b = service("b", client, false);
        WriterSession w = a.create(request("rig2"));
        String owner = lease("rig2", 0).owner();

        assertThatThrownBy(() -> b.create(request("rig2"))).isInstanceOf(StoreLockedException.class);
        assertThat(tmp.resolve("b-spool/rig2")).doesNotExist();
        push(w, 0, 3);
        assertThat(lease("rig2", 0).owner()).as("a still holds it").isEqualTo(owner);

        a.close("rig2");
        assertThat(lease("rig2", 0).released()).isTrue();
        assertThat(stub.get(BUCKET, "lab/rig2/metadata.yaml")).isNotNull();
    }

    @Test
    void aLostLeaseStopsTheSessionAndNothingMoreIsUploaded() throws Exception {
        IngestSessions s = service("a", client, false);
        WriterSession w = s.create(request("rig4"));
        push(w, 0, 3);
        // another replica takes the store over (as after an expiry): a newer generation
        foreignLease("rig4", 1, System.currentTimeMillis() + 3_600_000);
        assertThat(w.objectLease().renewNow()).as("renewal finds the newer generation").isFalse();
        assertThat(w.leaseLost()).isTrue();

        try (WriterSession.Stream st = w.openStream("test", null)) {
            try {
                w.decoder(IngestProperties.defaults()).readFrom(
                        new ByteArrayInputStream(Records.frames(3, 6, 48, 64, 1)), st::submit);
            } catch (LeaseLostException expected) {
                // a later frame may see the first one's failure
            }
            assertThat(st.drain()).as("no frame written under a lost lease").isZero();
            assertThat(st.failure()).isInstanceOf(LeaseLostException.class);
        }
        // the session is dropped: its spool closed locally and moved aside, NOT uploaded (the store is another's)
        assertThatThrownBy(() -> s.session("rig4")).isInstanceOf(StoreNotInRootException.class);
        assertThat(stub.get(BUCKET, "lab/rig4/metadata.yaml")).as("nothing uploaded under a lost lease").isNull();
        assertThat(tmp.resolve("a-spool/rig4")).doesNotExist();
        try (var lost = Files.list(tmp.resolve("a-spool/.lost"))) {
            List<Path> kept = lost.toList();
            assertThat(kept).singleElement().satisfies(p -> {
                assertThat(p.getFileName().toString()).startsWith("rig4.");
                assertThat(p.resolve("metadata.yaml")).exists();
            });
        }
        s.finishSpools();
        assertThat(stub.get(BUCKET, "lab/rig4/metadata.yaml")).as("not uploaded by a later recovery").isNull();
        assertThat(lease("rig4", 1).owner()).isEqualTo(OTHER);
        // creating it again needs the lease: 409 while the other replica holds it
        assertThatThrownBy(() -> s.create(request("rig4"))).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining(OTHER);
    }

    @Test
    void recoveryAtStartLeavesASpoolWhoseLeaseAnotherOwnerHolds() throws Exception {
        IngestSessions s = service("c", client, false);
        Path left = tmp.resolve("c-spool/rig3");
        ImgStoreWriter w = ImgStoreWriter.create(left, StoreSpec.of(StoreFormat.NPY, 48, 64).withChunksize(5));
        for (int i = 0; i < 7; i++) {
            w.addImage(Barcode.draw(i, 48, 64, 1, PixelType.UINT8), i, 1000 + i);
        }
        w.close(); // closed, not uploaded (as after a failed upload at close)
        foreignLease("rig3", 0, System.currentTimeMillis() + 3_600_000);

        s.finishSpools();
        assertThat(left).as("kept: another owner holds its lease").isDirectory();
        assertThat(stub.get(BUCKET, "lab/rig3/metadata.yaml")).isNull();

        foreignLease("rig3", 0, System.currentTimeMillis() - 1_000);
        s.finishSpools();
        assertThat(left).as("finished and removed").doesNotExist();
        assertThat(stub.get(BUCKET, "lab/rig3/metadata.yaml")).isNotNull();
        assertThat(lease("rig3", 1).released()).as("released after the upload").isTrue();
    }

    @Test
    void onAServerIgnoringConditionalWritesIngestIsRefusedUnlessAllowed() throws Exception {
        S3Proxies s3 = S3Proxies.shared();
        s3.createBucket(BUCKET);
        try (S3Client c = s3.client()) {
            IngestSessions refused = service("p", c, false);
            assertThatThrownBy(() -> refused.create(request("rig5")))
                    .isInstanceOf(ObjectLeasesUnavailableException.class)
                    .hasMessageContaining("does not honour conditional writes")
                    .hasMessageContaining("imgstore.cluster.allow-unsafe-object-leases=true");
            assertThat(new ObjectLeasesUnavailableException("x").status().value()).isEqualTo(503);
            assertThat(tmp.resolve("p-spool/rig5")).doesNotExist();

            IngestSessions allowed = service("q", c, true);
            WriterSession w = allowed.create(request("rig5"));
            assertThat(c.headObject(b -> b.bucket(BUCKET).key("lab/rig5/.lease.0")).contentLength()).isPositive();
            push(w, 0, 6);
            allowed.close("rig5");
            assertThat(c.headObject(b -> b.bucket(BUCKET).key("lab/rig5/metadata.yaml")).contentLength()).isPositive();
        }
    }

    @Test
    void theProbeRunsOnceAtStart() throws Exception {
        int before = stub.conditionalPuts();
        SpoolTarget t = new SpoolTarget(tmp.resolve("probe"), client, ROOT, false);
        assertThat(t.conditionalWrites()).isEqualTo(ConditionalWrites.FULL);
        assertThat(stub.conditionalPuts() - before).as("probe PUTs").isEqualTo(3);
        stub.ignoreIfNoneMatch(true);
        assertThat(new SpoolTarget(tmp.resolve("probe2"), client, ROOT, false).conditionalWrites()).isNull();
        assertThat(new SpoolTarget(tmp.resolve("probe3"), client, ROOT, true).conditionalWrites())
                .isEqualTo(ConditionalWrites.NONE);
    }
}
