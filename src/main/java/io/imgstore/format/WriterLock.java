package io.imgstore.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A writer's hold on a store, three ways: registered in this JVM (other writers here), the store's
 * {@code .lock} file locked with an OS file lock (other processes on this machine), and a
 * {@link WriterLease} in the store folder, renewed in the background (other machines sharing the
 * folder, where OS locks are unreliable). Package-private: part of {@link ImgStoreWriter}.
 */
final class WriterLock {

    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path baseDir;
    private final FileChannel channel;
    private final FileLock lock;
    private final WriterLease lease;
    private final ScheduledFuture<?> renewal;
    private volatile boolean renewing = true;

    private WriterLock(Path baseDir, FileChannel channel, FileLock lock, WriterLease lease) {
        this.baseDir = baseDir;
        this.channel = channel;
        this.lock = lock;
        this.lease = lease;
        long every = WriterLeases.policy().renewInterval().toMillis();
        this.renewal = WriterLeases.renewer().scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        if (renewing && !lease.renew()) {
            renewing = false;
            throw new IllegalStateException("lease lost"); // ends this periodic task (scheduleWithFixedDelay)
        }
    }

    /**
     * Takes the store in {@code baseDir} for writing.
     *
     * @throws StoreLockedException when another writer (here, in another process, or on another machine) has it
     */
    static WriterLock acquire(Path baseDir) {
        Path key = baseDir.toAbsolutePath().normalize();
        if (!OPEN.add(key)) {
            throw new StoreLockedException("store " + baseDir.getFileName() + " is already open for writing");
        }
        FileChannel channel = null;
        FileLock lock = null;
        try {
            channel = FileChannel.open(StoreLayout.lockFile(baseDir), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                throw new StoreLockedException("store " + baseDir.getFileName() + " is being written by another process");
            }
            WriterLease lease = WriterLease.acquire(new LocalLeaseFiles(baseDir), LeaseOwner.newOwner(),
                    Clock.systemUTC(), WriterLeases.policy(), String.valueOf(baseDir.getFileName()));
            return new WriterLock(baseDir, channel, lock, lease);
        } catch (IOException | OverlappingFileLockException e) {
            close(channel, lock);
            OPEN.remove(key);
            throw new StoreLockedException("cannot lock store " + baseDir.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel, lock);
            OPEN.remove(key);
            throw e;
        }
    }

    private static void close(FileChannel channel, FileLock lock) {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing after a failure
        }
    }

    /**
     * Before every write.
     *
     * @throws LeaseLostException when the lease is lost: nothing may be written
     */
    void check() {
        lease.check();
    }

    /** Renews the lease now (tests; the background task does it every renew interval). False when it is lost. */
    boolean renewNow() {
        return lease.renew();
    }

    boolean leaseLost() {
        return lease.isLost();
    }

    /**
     * Releases the lock and the lease; removes {@code .lock} when {@code clean} (a clean close). A writer
     * whose lease was lost leaves both files to the process that took the store over.
     */
    void release(boolean clean) {
        release(clean, clean);
    }

    /**
     * Hands the store over ({@link ImgStoreWriter#detach()}): the lease is released, so that another process
     * may continue at once, and the OS lock too, but {@code .lock} stays: the store remains open for writing.
     */
    void handOver() {
        release(true, false);
    }

    private void release(boolean releaseLease, boolean deleteLockFile) {
        renewing = false;
        renewal.cancel(false);
        boolean lost = lease.isLost();
        try {
            if (releaseLease && !lost) {
                lease.release();
            } else {
                lease.abandon();
            }
            lock.release();
            channel.close();
            if (deleteLockFile && !lost) {
                Files.deleteIfExists(StoreLayout.lockFile(baseDir));
            }
        } catch (IOException e) {
            // the lock file is advisory; a leftover .lock is harmless for readers
        } finally {
            OPEN.remove(baseDir.toAbsolutePath().normalize());
        }
    }
}
