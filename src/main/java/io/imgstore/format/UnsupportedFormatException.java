package io.imgstore.format;

/** The store uses a class, version, format or encoding this library does not read or write (e.g. `bpk`). */
public class UnsupportedFormatException extends ImgStoreException {

    public UnsupportedFormatException(String message) {
        super(message);
    }

    public UnsupportedFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
