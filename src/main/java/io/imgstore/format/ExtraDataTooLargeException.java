package io.imgstore.format;

/**
 * Extra data that would make a chunk's {@code .extra.json} larger than the writer's limit
 * ({@link ImgStoreWriter#setMaxExtraDataBytesPerChunk}); nothing of it is written.
 */
public class ExtraDataTooLargeException extends InvalidImageException {

    public ExtraDataTooLargeException(String message) {
        super(message);
    }
}
