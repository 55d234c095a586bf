package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Files found corrupt, remembered by (path, size, modification time, file key) so that an unchanged
 * bad file (a zip bomb of an index, say) costs its reading once: the next attempt throws the same
 * {@link CorruptStoreException} at the cost of a {@code stat}. Bounded (least recently used
 * entries are forgotten); a changed file is read again.
 */
public final class CorruptFiles {

    static final int MAX_ENTRIES = 256;

    /** {@code storage}: the class of the {@link StoreFiles} (equal paths in two storages are two files). */
    private record Key(String storage, Path path, long size, long mtimeNanos, Object fileKey) {
    }

    private static final Map<Key, String> KNOWN = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private static final AtomicLong HITS = new AtomicLong();

    private CorruptFiles() {
    }

    /**
     * Reads {@code file} with {@code reader}, unless the file, unchanged, failed before. A
     * {@link CorruptStoreException} (or any other runtime failure of the reader, reported as one) is
     * remembered and rethrown.
     */
    public static <T> T read(Path file, Function<Path, T> reader) {
        return read(StoreFiles.LOCAL, file, reader);
    }

    /** As {@link #read(Path, Function)}, the file's size and time asked from {@code files}. */
    public static <T> T read(StoreFiles files, Path file, Function<Path, T> reader) {
        Key key = key(files, file);
        if (key != null) {
            String known;
            synchronized (KNOWN) {
                known = KNOWN.get(key);
            }
            if (known != null) {
                HITS.incrementAndGet();
                throw new CorruptStoreException(known);
            }
        }
        try {
            return reader.apply(file);
        } catch (CorruptStoreException e) {
            remember(key, e.getMessage());
            throw e;
        } catch (io.imgstore.format.ImgStoreException e) {
            throw e; // not about the file's content (e.g. an I/O error): tried again next time
        } catch (RuntimeException e) {
            CorruptStoreException c = new CorruptStoreException("corrupt " + file.getFileName() + ": " + e, e);
            remember(key, c.getMessage());
            throw c;
        }
    }

    private static void remember(Key key, String message) {
        if (key != null) {
            synchronized (KNOWN) {
                KNOWN.put(key, message);
            }
        }
    }

    private static Key key(StoreFiles files, Path file) {
        try {
            if (files.localFile(file).isPresent()) {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Key(files.getClass().getName(), file.toAbsolutePath().normalize(), a.size(),
                        a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
            }
            return new Key(files.getClass().getName(), file.toAbsolutePath().normalize(), files.size(file),
                    files.lastModified(file).to(TimeUnit.NANOSECONDS), files.fileKey(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Attempts answered from the cache (for tests). */
    static long hits() {
        return HITS.get();
    }

    /** Files currently remembered as corrupt (for tests). */
    static int size() {
        synchronized (KNOWN) {
            return KNOWN.size();
        }
    }

    /** Forgets everything (for tests). */
    static void clear() {
        synchronized (KNOWN) {
            KNOWN.clear();
        }
    }
}
