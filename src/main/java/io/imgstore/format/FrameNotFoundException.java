package io.imgstore.format;

/** The requested frame number, index or time is not in the store. */
public class FrameNotFoundException extends ImgStoreException {

    public FrameNotFoundException(String message) {
        super(message);
    }

    public FrameNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
