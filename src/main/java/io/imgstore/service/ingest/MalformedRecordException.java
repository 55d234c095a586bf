package io.imgstore.service.ingest;

import io.imgstore.service.web.ApiError;
import org.springframework.http.HttpStatus;

/** A frame record that does not follow the wire format (bad header, short or wrongly sized payload). */
public class MalformedRecordException extends RuntimeException implements ApiError {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.BAD_REQUEST;
    }

    @Override
    public String problemType() {
        return "malformed-record";
    }
}
