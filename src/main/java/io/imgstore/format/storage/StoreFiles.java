package io.imgstore.format.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

/**
 * The storage seam: how the library opens and inspects a store's files for reading. Every read of
 * {@link io.imgstore.format.ImgStore} goes through the instance it was opened with
 * ({@code ImgStore.open(path, files, ...)}; {@link #LOCAL} by default): {@code metadata.yaml},
 * chunk indexes ({@code .npz}/{@code .yaml}), journals, the listing of chunks, extra data (JSON and
 * Motif's HDF5), directory-store frames (npy and the image files OpenCV decodes from bytes), video
 * chunks (FFmpeg opens a {@linkplain #localFile local file} by path, anything else through a custom
 * I/O context over {@link #newChannel}), the index summaries and file fingerprints. Nothing in the
 * read path opens a file by itself, so another implementation (object storage) only has to
 * implement this interface.
 *
 * <p>Writes ({@code ImgStoreWriter}, recovery, reindexing, the writer lock) are still local files.
 *
 * <p>Paths: a store's files are named by {@link Path}s under the store folder as on a local disk
 * ({@code <store>/000000.mp4}); an implementation maps them to its own keys. Implementations must be
 * thread-safe. Errors are the JDK's ({@link java.nio.file.NoSuchFileException} for an absent file),
 * so callers map them to the library's exceptions as before.
 *
 * <p>Methods with default implementations were added for the seam to carry every read; an
 * implementation may override them when it can answer more cheaply.
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

    /**
     * A read-only channel with random access: npz members, Motif's HDF5 files, and video chunks that
     * are not {@linkplain #localFile local} (FFmpeg reads and seeks through it).
     */
    SeekableByteChannel newChannel(Path file) throws IOException;

    /** True for an existing regular file (following links). */
    boolean isFile(Path file);

    /** True for an existing file or folder. */
    boolean exists(Path file);

    long size(Path file) throws IOException;

    FileTime lastModified(Path file) throws IOException;

    /** The entries of a folder, in the order the storage returns them. */
    List<Path> list(Path folder) throws IOException;

    /** The path with links resolved (confinement checks). */
    Path realPath(Path file) throws IOException;

    /**
     * The file on the local file system that {@code file} names, when there is one: native readers
     * (FFmpeg) then open it by path, the fast path. Empty (the default) for storage that is not a
     * local file system: those readers then read through {@link #newChannel}.
     */
    default Optional<Path> localFile(Path file) {
        return Optional.empty();
    }

    /**
     * True for a folder (a directory store's chunk folder, a folder of stores). The default: it
     * exists and is not a file (object storage: a key prefix with objects under it).
     */
    default boolean isDirectory(Path folder) {
        return exists(folder) && !isFile(folder);
    }

    /**
     * An identity of the file's content beyond size and modification time (the inode on a local
     * disk, an ETag in object storage), used in the keys of caches; null (the default) when the
     * storage has none.
     */
    default Object fileKey(Path file) {
        return null;
    }
}
