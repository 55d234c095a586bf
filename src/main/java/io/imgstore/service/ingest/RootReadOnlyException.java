package io.imgstore.service.ingest;

import io.imgstore.service.web.ApiError;
import org.springframework.http.HttpStatus;

/**
 * The store root is in object storage ({@code imgstore.root=s3://...}) and no spool folder is set
 * ({@code imgstore.s3.spool-dir}), so the service only reads there: creating or continuing a store
 * needs the spool, where stores are written before they are uploaded ({@link SpoolTarget}).
 * 501 {@code /problems/root-read-only}, refused before anything is written.
 */
public class RootReadOnlyException extends RuntimeException implements ApiError {

    public RootReadOnlyException() {
        super("the store root is in object storage (s3) and no spool folder is set, so this server only reads"
                + " there: set imgstore.s3.spool-dir to a local folder to create and write stores (they are written"
                + " there and uploaded chunk by chunk), or ingest into a server whose imgstore.root is a local folder");
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
