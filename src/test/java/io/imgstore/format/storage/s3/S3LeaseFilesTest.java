package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.LeaseRecord;
import io.imgstore.format.storage.s3.S3LeaseFiles.ConditionalWrites;
import io.imgstore.testing.S3Proxies;
import io.imgstore.testing.S3Stub;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3LeaseFiles}: the probe of conditional writes against the real S3Proxy 2.6.0 (which ignores
 * them, gaul/s3proxy#627) and against {@link S3Stub} (a STUB answering as AWS S3, switchable to ignore
 * either header), the refusal of unsafe storage, its explicitly allowed weaker mode, and the bounds.
 * The lease protocol itself on S3 is in {@code io.imgstore.format.S3WriterLeaseTest}.
 */
class S3LeaseFilesTest {

    private static final LeaseRecord A = new LeaseRecord("host-a:deadbeef:1:a", 1_000, false);
    private static final LeaseRecord B = new LeaseRecord("host-b:deadbeef:1:b", 2_000, false);

    @Test
    void s3proxyIsFoundToIgnoreConditionalWritesAndLeasesOnItAreRefusedUnlessAllowed() throws Exception {
        S3Proxies s3 = S3Proxies.shared();
        s3.createBucket("lease-probe");
        S3Location root = S3Location.parse("s3://lease-probe/stores");
        try (S3Client c = s3.client()) {
            assertThat(S3LeaseFiles.probe(c, root)).isEqualTo(ConditionalWrites.NONE);
            assertThatThrownBy(() -> S3LeaseFiles.Root.open(c, root, false))
                    .isInstanceOf(UnsafeObjectLeasesException.class)
                    .hasMessageContaining("s3://lease-probe/stores does not honour conditional writes")
                    .hasMessageContaining("imgstore.cluster.allow-unsafe-object-leases=true");
            assertThat(c.listObjectsV2(b -> b.bucket("lease-probe")).contents()).as("probe objects deleted").isEmpty();

            // explicitly allowed: the weaker mode (look, put, read back) still refuses a sequential second create
            S3LeaseFiles.Root weak = S3LeaseFiles.Root.open(c, root, true);
            assertThat(weak.conditionalWrites()).isEqualTo(ConditionalWrites.NONE);
            S3LeaseFiles f = weak.store("lab/rig1");
            assertThat(f.highest()).isEmpty();
            assertThat(f.createNew(0, A)).isTrue();
            assertThat(f.createNew(0, B)).isFalse();
            assertThat(weak.store("lab/rig1").read(0, 10)).contains(A);
            assertThat(f.createNew(1, B)).isTrue();
            assertThat(f.highest()).hasValue(1);
            f.deleteBelow(1);
            assertThat(f.exists(0)).isFalse();
            assertThat(f.exists(1)).isTrue();
        }
    }

    @Test
    void theProbeTellsWhichConditionsTheServerHonours() throws Exception {
        S3Location root = S3Location.parse("s3://bkt/p");
        try (S3Stub stub = S3Stub.start(); S3Client c = stub.client()) {
            assertThat(S3LeaseFiles.probe(c, root)).isEqualTo(ConditionalWrites.FULL);
            stub.ignoreIfMatch(true);
            assertThat(S3LeaseFiles.probe(c, root)).isEqualTo(ConditionalWrites.CREATE_ONLY);
            stub.ignoreIfNoneMatch(true);
            assertThat(S3LeaseFiles.probe(c, root)).isEqualTo(ConditionalWrites.NONE);
            assertThatThrownBy(() -> S3LeaseFiles.Root.open(c, root, false))
                    .isInstanceOf(UnsafeObjectLeasesException.class);
            assertThat(c.listObjectsV2(b -> b.bucket("bkt")).contents()).as("probe objects deleted").isEmpty();
        }
    }

    @Test
    void conditionalCreateAndCompareAndSwapOnTheStub() throws Exception {
        try (S3Stub stub = S3Stub.start(); S3Client c = stub.client()) {
            S3LeaseFiles.Root root = S3LeaseFiles.Root.open(c, S3Location.parse("s3://bkt/p"), false);
            S3LeaseFiles one = root.store("s");
            S3LeaseFiles two = root.store("s");
            assertThat(one.createNew(0, A)).isTrue();
            assertThat(two.createNew(0, B)).as("412: exists").isFalse();
            assertThat(two.read(0, 10)).contains(A);
            // two read it, so two may replace it; then one's ETag is stale and its replacement fails
            assertThat(two.overwrite(0, B)).isTrue();
            assertThat(one.overwrite(0, A)).as("If-Match on a stale ETag: 412").isFalse();
            assertThat(root.store("s").read(0, 10)).contains(B);
            assertThatThrownBy(() -> root.store("s").overwrite(0, A)).as("never read through this instance")
                    .isInstanceOf(IOException.class).hasMessageContaining("not read or written through this instance");
            assertThat(root.store("").name()).isEqualTo("s3://bkt/p");
            assertThat(root.store("").createNew(3, A)).isTrue();
            assertThat(stub.get("bkt", "p/.lease.3")).isNotNull();
            assertThat(root.store("").highest()).as("another store's generations are not the root's").hasValue(3);
        }
    }

    @Test
    void aHungServerFailsLeaseRequestsWithinTheLeaseTimeoutInsteadOfBlockingTheRenewer() throws Exception {
        try (S3Stub stub = S3Stub.start(); S3Client c = stub.client()) {
            S3LeaseFiles f = S3LeaseFiles.Root.open(c, S3Location.parse("s3://bkt/p"), false).store("s");
            stub.stall(java.time.Duration.ofMinutes(5));
            assertThatThrownBy(f::highest).isInstanceOf(IOException.class)
                    .hasRootCauseInstanceOf(software.amazon.awssdk.core.exception.ApiCallTimeoutException.class);
            stub.stall(java.time.Duration.ZERO);
        }
    }

    @Test
    void listingsAndStorePathsAreBounded() throws Exception {
        try (S3Stub stub = S3Stub.start(); S3Client c = stub.client()) {
            S3LeaseFiles.Root root = S3LeaseFiles.Root.open(c, S3Location.parse("s3://bkt/p"), false);
            assertThatThrownBy(() -> root.store("../escape")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> root.store("a//b")).isInstanceOf(IllegalArgumentException.class);
            for (int i = 0; i <= S3LeaseFiles.MAX_LISTED; i++) {
                stub.put("bkt", "p/s/.lease.junk" + i, new byte[0], Instant.now());
            }
            assertThatThrownBy(() -> root.store("s").highest()).isInstanceOf(IOException.class)
                    .hasMessageContaining("more than " + S3LeaseFiles.MAX_LISTED);
        }
    }
}
