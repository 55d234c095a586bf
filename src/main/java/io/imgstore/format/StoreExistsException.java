package io.imgstore.format;

/** A store cannot be created because the target folder already holds one. */
public class StoreExistsException extends ImgStoreException {

    public StoreExistsException(String message) {
        super(message);
    }

    public StoreExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
