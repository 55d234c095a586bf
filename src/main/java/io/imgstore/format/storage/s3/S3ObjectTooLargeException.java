package io.imgstore.format.storage.s3;

import java.io.IOException;

/** An object is larger than the limit for reading it whole ({@link S3StoreFiles.Options#maxReadBytes}). */
public final class S3ObjectTooLargeException extends IOException {

    private final long size;
    private final long limit;

    public S3ObjectTooLargeException(String file, long size, long limit) {
        super(file + " is " + size + " bytes, above the limit of " + limit + " bytes for reading an object whole");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
