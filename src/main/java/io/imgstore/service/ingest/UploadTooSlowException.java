package io.imgstore.service.ingest;

import io.imgstore.service.web.ApiError;
import java.io.IOException;
import org.springframework.http.HttpStatus;

/** An upload sent fewer than {@code upload-min-bytes} in an {@code upload-rate-window}: its body is no longer read. */
public class UploadTooSlowException extends IOException implements ApiError {

    public UploadTooSlowException(String message) {
        super(message);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.REQUEST_TIMEOUT;
    }

    @Override
    public String problemType() {
        return "upload-too-slow";
    }
}
