package io.imgstore.format;

/** An image handed to a writer does not match the store's shape or dtype. */
public class InvalidImageException extends ImgStoreException {

    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
