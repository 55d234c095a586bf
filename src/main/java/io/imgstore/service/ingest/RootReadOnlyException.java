package io.imgstore.service.ingest;

import io.imgstore.service.web.ApiError;
import org.springframework.http.HttpStatus;

/**
 * The store root is in object storage ({@code imgstore.root=s3://...}), where the service only reads
 * for now: creating or continuing a store there is not built (issue #14: spool locally, upload
 * finished chunks). 501 {@code /problems/root-read-only}, refused before anything is written.
 */
public class RootReadOnlyException extends RuntimeException implements ApiError {

    public RootReadOnlyException() {
        super("the store root is in object storage (s3), which this server only reads: creating and"
                + " writing stores there is not implemented yet; ingest into a server whose imgstore.root is a"
                + " local folder");
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.NOT_IMPLEMENTED;
    }

    @Override
    public String problemType() {
        return "root-read-only";
    }
}
