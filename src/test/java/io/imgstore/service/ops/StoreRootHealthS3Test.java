package io.imgstore.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3StoreFiles;
import io.imgstore.service.catalog.RootStorage;
import io.imgstore.testing.S3Proxies;
import org.junit.jupiter.api.Test;

/** The bucket probe of an object-storage root, against S3Proxy: a readable bucket, an absent one, wrong credentials. */
class StoreRootHealthS3Test {

    @Test
    void probeAnswersForAReadableBucketAndNamesTheProblemOtherwise() throws Exception {
        S3Proxies s3 = S3Proxies.shared();
        s3.createBucket("health-probe");
        try (RootStorage ok = RootStorage.s3(S3Location.parse("s3://health-probe/lab"), s3.client(),
                S3StoreFiles.Options.defaults())) {
            StoreRootHealth.Probe p = StoreRootHealth.probeBucket(ok);
            assertThat(p.problem()).isNull();
            assertThat(p.writable()).isFalse();
        }
        try (RootStorage absent = RootStorage.s3(S3Location.parse("s3://no-such-bucket-here/lab"), s3.client(),
                S3StoreFiles.Options.defaults())) {
            StoreRootHealth.Probe p = StoreRootHealth.probeBucket(absent);
            assertThat(p.problem()).startsWith("bucket not readable: ");
        }
        try (RootStorage denied = RootStorage.s3(S3Location.parse("s3://health-probe/lab"),
                io.imgstore.format.storage.s3.S3Clients.forEndpoint(s3.endpoint(), S3Proxies.REGION, s3.accessKey(),
                        "wrong-secret", true), S3StoreFiles.Options.defaults())) {
            assertThat(StoreRootHealth.probeBucket(denied).problem()).startsWith("bucket not readable: ");
        }
    }
}
