package io.imgstore.service.catalog;

/** A store id or path that does not name a store under the root (absent, or would leave the root). */
public class StoreNotInRootException extends RuntimeException {

    public StoreNotInRootException(String message) {
        super(message);
    }
}
