package io.imgstore.format.internal;

import io.imgstore.format.ImgStoreException;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Append-only journal of the open chunk's frame numbers and times ({@code <base>.journal}, 16 bytes
 * a frame: int64 number, float64 time, little-endian), so that a writer killed mid-chunk loses no
 * index: a reader or a recovering writer rebuilds the chunk index from it. A torn last record is
 * ignored. Python imgstore ignores the file; it is removed once the chunk's {@code .npz} is written.
 */
public final class Journal implements AutoCloseable {

    public static final String SUFFIX = StoreLayout.JOURNAL_SUFFIX;
    private static final int RECORD = 16;
    /** Largest journal read: 4 million frames in one chunk (imgstore chunks hold thousands). */
    static final long MAX_JOURNAL_BYTES = RECORD * 4L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(RECORD).order(ByteOrder.LITTLE_ENDIAN);

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    public static Path pathFor(Path pathWithoutExtension) {
        return StoreLayout.withSuffix(pathWithoutExtension, SUFFIX);
    }

    /** Creates (truncating) the journal of a new chunk. */
    public static Journal create(Path pathWithoutExtension) {
        Path f = pathFor(pathWithoutExtension);
        try {
            return new Journal(f, FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING));
        } catch (IOException e) {
            throw new ImgStoreException("cannot create journal " + f.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Appends one frame; the bytes reach the OS at once (page cache), {@link #sync()} forces them to disk. */
    public void append(long frameNumber, double frameTime) {
        buffer.clear();
        buffer.putLong(frameNumber).putDouble(frameTime).flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new ImgStoreException("cannot append to journal " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    public void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new ImgStoreException("cannot sync journal " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a journal that could not be written: the index written next supersedes it
        }
    }

    /** Closes and deletes the journal (after the chunk index is safely written). */
    public void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale journal beside a complete .npz is never read
        }
    }

    /** Reads a journal left by a writer; empty when there is none. */
    public static Optional<ChunkIndex> read(int chunk, Path pathWithoutExtension) {
        return read(StoreFiles.LOCAL, chunk, pathWithoutExtension);
    }

    /** As {@link #read(int, Path)}, read through {@code files}. */
    public static Optional<ChunkIndex> read(StoreFiles files, int chunk, Path pathWithoutExtension) {
        Path f = pathFor(pathWithoutExtension);
        if (!files.isFile(f)) {
            return Optional.empty();
        }
        try {
            long size = files.size(f);
            if (size > MAX_JOURNAL_BYTES) {
                throw new io.imgstore.format.CorruptStoreException("journal " + f.getFileName() + " has " + size
                        + " bytes, more than the " + MAX_JOURNAL_BYTES + " of a chunk of "
                        + MAX_JOURNAL_BYTES / RECORD + " frames");
            }
            byte[] all = files.read(f);
            int n = all.length / RECORD;
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            long[] numbers = new long[n];
            double[] times = new double[n];
            for (int i = 0; i < n; i++) {
                numbers[i] = b.getLong();
                times[i] = b.getDouble();
            }
            return Optional.of(new ChunkIndex(chunk, numbers, times));
        } catch (IOException e) {
            throw new ImgStoreException("cannot read journal " + f.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
