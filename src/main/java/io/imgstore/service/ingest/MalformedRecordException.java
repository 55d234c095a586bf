package io.imgstore.service.ingest;

/** A frame record that does not follow the wire format (bad header, short or wrongly sized payload). */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
