package io.imgstore.format;

/** Sequential reading passed the last frame of the store. */
public class EndOfStoreException extends ImgStoreException {

    public EndOfStoreException(String message) {
        super(message);
    }

    public EndOfStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
