package io.imgstore.format.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * The storage seam: how the library opens and inspects a store's files for reading. Metadata,
 * chunk indexes, journals, extra data and directory-store npy frames are read through it;
 * {@link LocalStoreFiles} is the only implementation today (the local file system, {@link #LOCAL}).
 * Object storage is meant to plug in here later.
 *
 * <p>Not (yet) behind the seam: video chunks, which FFmpeg opens by path in {@code format.codec},
 * image frame files decoded by OpenCV (also by path), and everything the writer creates.
 *
 * <p>Implementations must be thread-safe. Errors are the JDK's ({@link java.nio.file.NoSuchFileException}
 * for an absent file), so callers map them to the library's exceptions as before.
 */
public interface StoreFiles {

    /** The local file system. */
    StoreFiles LOCAL = new LocalStoreFiles();

    /** All bytes of a file. */
    byte[] read(Path file) throws IOException;

    /** A UTF-8 text file as a string. */
    String readString(Path file) throws IOException;

    /** A buffered UTF-8 reader. */
    Reader newReader(Path file) throws IOException;

    InputStream newInputStream(Path file) throws IOException;

    /** A read-only channel (random access: npz members). */
    SeekableByteChannel newChannel(Path file) throws IOException;

    /** True for an existing regular file (following links). */
    boolean isFile(Path file);

    boolean exists(Path file);

    long size(Path file) throws IOException;

    FileTime lastModified(Path file) throws IOException;

    /** The entries of a folder, in the order the storage returns them. */
    List<Path> list(Path folder) throws IOException;

    /** The path with links resolved (confinement checks). */
    Path realPath(Path file) throws IOException;
}
