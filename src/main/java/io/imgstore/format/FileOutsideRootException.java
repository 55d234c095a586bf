package io.imgstore.format;

/**
 * A store file (metadata, index, journal, chunk, extra data) resolves, through a symbolic link, to a
 * file outside the confinement root the store was opened with ({@link ImgStore#open(java.nio.file.Path, int,
 * java.nio.file.Path)}). The file is not opened; the message names the file relative to its store only.
 */
public class FileOutsideRootException extends ImgStoreException {

    public FileOutsideRootException(String message) {
        super(message);
    }
}
