package io.imgstore.service.ingest;

import io.imgstore.format.WriterLeasePolicy;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Several replicas over one store root: {@code imgstore.cluster.*} (see docs/deployment.md, "Cluster").
 * The values become the library's {@link WriterLeasePolicy} at start ({@link ClusterLeases}).
 *
 * @param leaseTtl                how long a writer's lease on its store lasts without renewal; another
 *                                replica may take the store over after it (default 15 s)
 * @param leaseRenewInterval      how often a writer renews its leases (default a third of {@code leaseTtl}; at
 *                                most half of it)
 * @param takeOverDeadLocalOwners take over at once the lease of a writer that ran on this machine (same host
 *                                name and boot id) and whose process is gone, e.g. a restart after {@code kill -9}
 *                                (default true; false waits for the expiry in every case)
 * @param idleRelease             hand over a store open for writing that no client streamed into for this long:
 *                                its chunk and index are finished and its lease released, {@code .lock} stays,
 *                                and whichever replica gets its next write continues it at once (default 0:
 *                                never; the compose profile {@code cluster} sets 60 s)
 * @param allowUnsafeObjectLeases accept writer leases on object storage that ignores conditional writes
 *                                ({@code If-None-Match: *} on PUT, e.g. S3Proxy 2.6.0), in the weaker mode of
 *                                {@code S3LeaseFiles.Root#open}; false (the default) refuses ingest into such an
 *                                {@code s3://} root ({@link ObjectLeasesUnavailableException}, 503; probed once at
 *                                start by {@link SpoolTarget}; docs/deployment.md, "Replicas over one bucket")
 */
@Validated
@ConfigurationProperties("imgstore.cluster")
public record ClusterProperties(@NotNull Duration leaseTtl, Duration leaseRenewInterval, Boolean takeOverDeadLocalOwners,
                                Duration idleRelease, Boolean allowUnsafeObjectLeases) {

    public ClusterProperties {
        leaseTtl = leaseTtl == null ? WriterLeasePolicy.DEFAULT.ttl() : leaseTtl;
        leaseRenewInterval = leaseRenewInterval == null ? leaseTtl.dividedBy(3) : leaseRenewInterval;
        takeOverDeadLocalOwners = takeOverDeadLocalOwners == null || takeOverDeadLocalOwners;
        idleRelease = idleRelease == null || idleRelease.isNegative() ? Duration.ZERO : idleRelease;
        allowUnsafeObjectLeases = allowUnsafeObjectLeases != null && allowUnsafeObjectLeases;
    }

    /**
     * The library's policy.
     *
     * @throws IllegalArgumentException for a TTL outside 100 ms .. 1 day or a renew interval above half of it
     */
    public WriterLeasePolicy policy() {
        return new WriterLeasePolicy(leaseTtl, leaseRenewInterval, takeOverDeadLocalOwners);
    }
}
