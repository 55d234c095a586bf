package io.imgstore.format;

/** A store file exists but cannot be parsed or decoded (truncated video, bad index, broken YAML). */
public class CorruptStoreException extends ImgStoreException {

    public CorruptStoreException(String message) {
        super(message);
    }

    public CorruptStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
