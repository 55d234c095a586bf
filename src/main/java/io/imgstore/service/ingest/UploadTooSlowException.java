package io.imgstore.service.ingest;

import java.io.IOException;

/** An upload sent fewer than {@code upload-min-bytes} in an {@code upload-rate-window}: its body is no longer read. */
public class UploadTooSlowException extends IOException {

    public UploadTooSlowException(String message) {
        super(message);
    }
}
