package io.imgstore.service.ingest;

import io.imgstore.service.web.ApiError;
import org.springframework.http.HttpStatus;

/** The server is stopping: no new stream, store or frame is taken (503 {@code /problems/shutting-down}). */
public class ShuttingDownException extends RuntimeException implements ApiError {

    public ShuttingDownException(String message) {
        super(message);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.SERVICE_UNAVAILABLE;
    }

    @Override
    public String problemType() {
        return "shutting-down";
    }
}
