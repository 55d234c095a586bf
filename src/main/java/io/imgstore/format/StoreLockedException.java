package io.imgstore.format;

/** The store is being written by another writer (its `.lock` file is present and held). */
public class StoreLockedException extends ImgStoreException {

    public StoreLockedException(String message) {
        super(message);
    }

    public StoreLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
