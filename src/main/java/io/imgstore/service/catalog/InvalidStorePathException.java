package io.imgstore.service.catalog;

/** A path given by a client (for a new store) that is malformed or would leave the root. */
public class InvalidStorePathException extends RuntimeException {

    public InvalidStorePathException(String message) {
        super(message);
    }
}
