package io.imgstore.service.ingest;

/** Frames sent to a store that has been closed (409). */
public class StoreClosedException extends RuntimeException {

    public StoreClosedException(String id) {
        super("store " + id + " is closed; no more frames can be added (create a new store)");
    }
}
