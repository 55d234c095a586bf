package io.imgstore.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A writer's hold on a store: the store's {@code .lock} file, locked with an OS file lock (other
 * processes), and registered in this JVM (other writers here). Package-private: part of
 * {@link ImgStoreWriter}.
 */
final class WriterLock {

    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path baseDir;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(Path baseDir, FileChannel channel, FileLock lock) {
        this.baseDir = baseDir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the store in {@code baseDir} for writing.
     *
     * @throws StoreLockedException when another writer (here or in another process) has it
     */
    static WriterLock acquire(Path baseDir) {
        Path key = baseDir.toAbsolutePath().normalize();
        if (!OPEN.add(key)) {
            throw new StoreLockedException("store " + baseDir.getFileName() + " is already open for writing");
        }
        try {
            FileChannel channel = FileChannel.open(StoreLayout.lockFile(baseDir), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new StoreLockedException("store " + baseDir.getFileName() + " is being written by another process");
            }
            return new WriterLock(baseDir, channel, lock);
        } catch (IOException | OverlappingFileLockException e) {
            OPEN.remove(key);
            throw new StoreLockedException("cannot lock store " + baseDir.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            OPEN.remove(key);
            throw e;
        }
    }

    /** Releases the lock; removes {@code .lock} when {@code deleteFile} (a clean close). */
    void release(boolean deleteFile) {
        try {
            lock.release();
            channel.close();
            if (deleteFile) {
                Files.deleteIfExists(StoreLayout.lockFile(baseDir));
            }
        } catch (IOException e) {
            // the lock file is advisory; a leftover .lock is harmless for readers
        } finally {
            OPEN.remove(baseDir.toAbsolutePath().normalize());
        }
    }
}
