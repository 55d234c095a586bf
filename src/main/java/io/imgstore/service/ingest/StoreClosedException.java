package io.imgstore.service.ingest;

import io.imgstore.service.web.ApiError;
import org.springframework.http.HttpStatus;

/** Frames sent to a store that has been closed (409). */
public class StoreClosedException extends RuntimeException implements ApiError {

    public StoreClosedException(String id) {
        super("store " + id + " is closed; no more frames can be added (create a new store)");
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.CONFLICT;
    }

    @Override
    public String problemType() {
        return "store-closed";
    }
}
