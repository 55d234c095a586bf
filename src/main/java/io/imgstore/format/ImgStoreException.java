package io.imgstore.format;

/**
 * Root of every error the format library reports. Unchecked, so callers handle only the
 * subclasses they care about; each subclass names one condition a caller can act on.
 */
public class ImgStoreException extends RuntimeException {

    public ImgStoreException(String message) {
        super(message);
    }

    public ImgStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
