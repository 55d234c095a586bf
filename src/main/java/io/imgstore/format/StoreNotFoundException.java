package io.imgstore.format;

/** No store (no metadata.yaml) at the given path. */
public class StoreNotFoundException extends ImgStoreException {

    public StoreNotFoundException(String message) {
        super(message);
    }

    public StoreNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
