package io.imgstore.format.codec;

import io.imgstore.format.Image;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded video frames kept around recent reads, per process, bounded by bytes (least recently
 * used first out). On long decode runs from a keyframe ({@link VideoChunkReader#CACHE_MIN_RUN}
 * frames or more), {@link VideoChunkReader} puts the frame it returns and, when the client reads
 * near its previous read ({@link #noteRead}: stepping back, scrubbing), the frames it decoded on the way (those that fit in a quarter of
 * the capacity); a later read of one of those is a copy
 * instead of a seek and a decode run (a viewer stepping backwards in a long group of pictures,
 * several clients asking for the same frame).
 *
 * <p>Exactness: a frame is stored under its chunk file's identity (path, inode, size, modification
 * time, colour or gray) and its index, and only frames whose decoded timestamp is the table's
 * timestamp for that index are stored. Callers get a copy (images are mutable).
 *
 * <p>Size: {@code -Dimgstore.frameCache.bytes} (default 64 MiB; 0 disables), or {@link #setCapacity}.
 */
public final class DecodedFrameCache {

    /** System property with the capacity in bytes. */
    public static final String CAPACITY_PROPERTY = "imgstore.frameCache.bytes";
    static final long DEFAULT_CAPACITY = 64L << 20;

    private static final DecodedFrameCache SHARED = new DecodedFrameCache(Long.getLong(CAPACITY_PROPERTY, DEFAULT_CAPACITY));

    record Key(Object file, int index) {
    }

    private final LinkedHashMap<Key, Image> map = new LinkedHashMap<>(256, 0.75f, true);
    private final LinkedHashMap<Object, Integer> lastReads = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Integer> eldest) {
            return size() > 1024;
        }
    };
    private volatile long capacity;
    private long bytes;
    private long hits;
    private long misses;

    DecodedFrameCache(long capacity) {
        this.capacity = Math.max(0, capacity);
    }

    /** The process-wide cache. */
    public static DecodedFrameCache shared() {
        return SHARED;
    }

    /** Sets the capacity in bytes (0 disables and empties the cache). */
    public synchronized void setCapacity(long capacityBytes) {
        capacity = Math.max(0, capacityBytes);
        trim();
    }

    public long capacity() {
        return capacity;
    }

    boolean enabled() {
        return capacity > 0;
    }

    /** A copy of the cached frame, or null. */
    Image get(Object file, int index) {
        if (capacity <= 0) {
            return null;
        }
        Image img;
        synchronized (this) {
            img = map.get(new Key(file, index));
            if (img == null) {
                misses++;
                return null;
            }
            hits++;
        }
        return copy(img);
    }

    /** Stores {@code image} (not copied: the caller hands it over and keeps no reference). */
    void put(Object file, int index, Image image) {
        long size = image.data().length;
        if (capacity <= 0 || size > capacity / 4) {
            return;
        }
        synchronized (this) {
            Image old = map.put(new Key(file, index), image);
            if (old != null) {
                bytes -= old.data().length;
            }
            bytes += size;
            trim();
        }
    }

    private void trim() {
        Iterator<Map.Entry<Key, Image>> it = map.entrySet().iterator();
        while (bytes > capacity && it.hasNext()) {
            bytes -= it.next().getValue().data().length;
            it.remove();
        }
    }

    /**
     * Notes that {@code index} of {@code file} is being read and returns the index read before it
     * (-1 if none is remembered): how {@link VideoChunkReader} tells a client stepping or scrubbing
     * from random reads. The last reads of the most recent 1,024 files are remembered.
     */
    synchronized int noteRead(Object file, int index) {
        Integer previous = lastReads.put(file, index);
        return previous == null ? -1 : previous;
    }

    /** Empties the cache and resets the counters. */
    public synchronized void clear() {
        map.clear();
        lastReads.clear();
        bytes = 0;
        hits = 0;
        misses = 0;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    static Image copy(Image img) {
        return new Image(img.height(), img.width(), img.channels(), img.pixelType(), img.data().clone());
    }
}
