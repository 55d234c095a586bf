package io.imgstore.format.storage.s3;

import java.io.IOException;

/**
 * The object storage ignores conditional writes ({@code If-None-Match: *} on PUT), so writer leases on it
 * could not keep two writers apart: refused unless explicitly allowed (see {@link S3LeaseFiles.Root#open}).
 */
public final class UnsafeObjectLeasesException extends IOException {

    public UnsafeObjectLeasesException(S3Location root) {
        super(root + " does not honour conditional writes: a second PUT with If-None-Match: * of a probe object "
                + "succeeded instead of failing with 412 (S3Proxy 2.6.0, older MinIO and Ceph RGW do this), so writer "
                + "leases there cannot keep two writers of a store apart. Use a server with conditional writes (AWS S3, "
                + "current MinIO, recent Ceph RGW), or accept weaker leases with "
                + "imgstore.cluster.allow-unsafe-object-leases=true (see docs/deployment.md, Cluster)");
    }
}
