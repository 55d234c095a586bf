package io.imgstore.service.ingest;

import io.imgstore.service.web.ApiError;
import org.springframework.http.HttpStatus;

/**
 * Ingest into an object-storage root is refused because writer leases cannot be taken there: the start-up
 * probe found that the server ignores conditional writes ({@code If-None-Match: *}, e.g. S3Proxy 2.6.0) and
 * {@code imgstore.cluster.allow-unsafe-object-leases} is false, or the probe itself failed (permissions,
 * network). Without a lease two replicas over one bucket could write the same store. 503
 * {@code /problems/object-leases-unavailable}, refused before anything is written; reads are unaffected.
 */
public class ObjectLeasesUnavailableException extends RuntimeException implements ApiError {

    public ObjectLeasesUnavailableException(String reason) {
        super("ingest into this object-storage root is refused: " + reason);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.SERVICE_UNAVAILABLE;
    }

    @Override
    public String problemType() {
        return "object-leases-unavailable";
    }
}
