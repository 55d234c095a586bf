package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.PixelView;
import io.imgstore.format.PixelVisitor;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.codec.VideoChunkReader;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Frames of a {@code VideoImgStore}: a small pool of open decoders, per chunk, shared by
 * concurrent readers. A decoder is used by one thread at a time; idle decoders beyond
 * {@code maxIdle} (more for long groups of pictures: {@link #limitFor}) are closed (least recently
 * returned first); {@link #close()} closes idle
 * decoders at once and busy ones as soon as their read ends.
 */
public final class VideoFrameSource implements FrameSource {

    private final StoreFiles files;
    private final Path baseDir;
    private final String extension;
    private final boolean color;
    private final int maxIdle;
    private final Confinement confinement;
    private final Deque<Pooled> idle = new ArrayDeque<>();
    private boolean closed;

    private record Pooled(int chunk, VideoChunkReader reader) {
    }

    public VideoFrameSource(Path baseDir, String extension, boolean color, int maxIdle) {
        this(baseDir, extension, color, maxIdle, Confinement.NONE);
    }

    /** As above; chunk files must really be under the confinement root. */
    public VideoFrameSource(Path baseDir, String extension, boolean color, int maxIdle, Confinement confinement) {
        this(StoreFiles.LOCAL, baseDir, extension, color, maxIdle, confinement);
    }

    /** As above, chunk files read through {@code files} ({@link VideoChunkReader#open(StoreFiles, Path, boolean)}). */
    public VideoFrameSource(StoreFiles files, Path baseDir, String extension, boolean color, int maxIdle,
                            Confinement confinement) {
        this.files = files;
        this.confinement = confinement;
        this.baseDir = baseDir;
        this.extension = extension;
        this.color = color;
        this.maxIdle = Math.max(1, maxIdle);
    }

    public static Path chunkPath(Path baseDir, int chunk, String extension) {
        return StoreLayout.video(baseDir, extension).videoChunkFile(chunk);
    }

    @Override
    public Image read(int chunk, int position) {
        Pooled p = borrow(chunk, position, true);
        boolean ok = false;
        try {
            Image image = p.reader().read(position);
            ok = true;
            return image;
        } finally {
            giveBack(p, ok);
        }
    }

    /** A decoder held by one sequential reader until it moves to another chunk or closes. */
    @Override
    public Cursor cursor() {
        return new Cursor() {
            private Pooled held;

            @Override
            public Image read(int chunk, int position) {
                try {
                    return read(chunk, position, PixelView::toImage);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // toImage throws none
                }
            }

            @Override
            public <T> T read(int chunk, int position, PixelVisitor<T> visitor) throws IOException {
                if (held != null && held.chunk() != chunk) {
                    giveBack(held, true);
                    held = null;
                }
                if (held == null) {
                    held = borrow(chunk, position, true);
                }
                try {
                    return held.reader().read(position, visitor);
                } catch (RuntimeException | Error e) {
                    Pooled broken = held;
                    held = null;
                    giveBack(broken, false);
                    throw e;
                }
            }

            @Override
            public void close() {
                if (held != null) {
                    giveBack(held, true);
                    held = null;
                }
            }
        };
    }

    /**
     * An idle decoder of the chunk: the one parked closest before {@code position} in the same group
     * of pictures (it continues forward instead of seeking: a sequential step decodes one frame, a
     * jump ahead in a long group of pictures decodes only the gap); else, while the pool has room
     * ({@code maxIdle}), a new decoder (opening one costs about a millisecond with the mp4 index),
     * so that decoders parked at recent positions stay there for the clients that continue from
     * them (several viewers, one decoder each, even when their requests come one at a time); else
     * the least recently used one. {@code -Dimgstore.pool.parking=false}: the old choice (the most recently
     * returned decoder before the position, else the most recently returned one), for benchmarks.
     */
    private Pooled borrow(int chunk, int position, boolean forRead) {
        synchronized (this) {
            if (closed) {
                throw new ImgStoreException("store is closed");
            }
            Pooled best = !forRead || "false".equals(System.getProperty(PARKING_PROPERTY)) ? oldChoice(chunk, position)
                    : parkedFor(chunk, position);
            if (best != null) {
                idle.remove(best);
                return best;
            }
        }
        Path file = confinement.check(chunkPath(baseDir, chunk, extension), baseDir);
        if (!files.isFile(file)) {
            throw new CorruptStoreException("chunk file missing: " + file.getFileName());
        }
        return new Pooled(chunk, VideoChunkReader.open(files, file, color));
    }

    /**
     * Native memory the parked decoders of a store with long groups of pictures may hold together
     * (see {@link #limitFor}).
     */
    static final long LONG_GROUP_PARKING_BYTES = 64L << 20;

    /** {@code -Dimgstore.pool.longGroups=false}: {@code maxIdle} for every chunk (the old rule, for benchmarks). */
    public static final String LONG_GROUP_PARKING_PROPERTY = "imgstore.pool.longGroups";

    /** Most decoders parked per store, however small its frames. */
    public static final int MAX_PARKED = 16;

    /**
     * How many idle decoders the pool keeps when {@code reader} is among them: {@code maxIdle}; for
     * chunks with long groups of pictures, where every decoder parked inside a group saves a later
     * read the decoding from its keyframe, as many as fit in {@link #LONG_GROUP_PARKING_BYTES}
     * (at most {@link #MAX_PARKED}; 512x512 colour: 6, 1920x1200: {@code maxIdle}). Measured on a
     * Python imgstore 512x512 colour chunk with a keyframe every 250 ({@code LongGopBench}): 8 parked
     * decoders cost 1.3x less CPU per uniform random read than 2.
     */
    public int limitFor(VideoChunkReader reader) {
        if (!reader.hasLongGroups() || "false".equals(System.getProperty(LONG_GROUP_PARKING_PROPERTY))) {
            return maxIdle;
        }
        long fit = LONG_GROUP_PARKING_BYTES / Math.max(1, reader.residentBytesEstimate());
        return (int) Math.max(maxIdle, Math.min(MAX_PARKED, fit));
    }

    /** {@code -Dimgstore.pool.parking=false}: the old choice of decoder (kept for the benchmark comparison). */
    public static final String PARKING_PROPERTY = "imgstore.pool.parking";

    private Pooled parkedFor(int chunk, int position) {
        Pooled best = null;
        int bestGap = Integer.MAX_VALUE;
        Pooled lru = null;
        Pooled unpositioned = null;
        for (Pooled p : idle) {
            if (p.chunk() != chunk) {
                continue;
            }
            lru = p; // idle is most recently returned first
            if (p.reader().lastIndex() < 0) {
                unpositioned = p;
            }
            int gap = p.reader().framesToContinueTo(position);
            if (gap >= 0 && gap < bestGap) {
                best = p;
                bestGap = gap;
            }
        }
        if (best != null) {
            return best;
        }
        if (unpositioned != null) {
            return unpositioned;
        }
        // Room in the pool (all chunks): a new decoder keeps the parked ones where they are. When
        // the pool is full a new one would only push out another, so the least recently used goes.
        return lru == null || idle.size() < limitFor(lru.reader()) ? null : lru;
    }

    private Pooled oldChoice(int chunk, int position) {
        Pooled best = null;
        for (Pooled p : idle) {
            if (p.chunk() != chunk) {
                continue;
            }
            int last = p.reader().lastIndex();
            int bestLast = best == null ? Integer.MIN_VALUE : best.reader().lastIndex();
            boolean before = last < position;
            boolean bestBefore = best != null && bestLast < position;
            if (best == null || (before && (!bestBefore || last > bestLast))) {
                best = p;
            }
        }
        return best;
    }

    private void giveBack(Pooled p, boolean healthy) {
        Pooled evicted = null;
        synchronized (this) {
            if (!closed && healthy) {
                idle.addFirst(p);
                if (idle.size() > limitFor(p.reader())) {
                    evicted = idle.removeLast();
                }
                p = null;
            }
        }
        if (p != null) {
            p.reader().close();
        }
        if (evicted != null) {
            evicted.reader().close();
        }
    }

    /**
     * Frames the demuxer sees in the chunk file now (0 when it is missing or cannot be opened yet,
     * e.g. an mp4 whose first fragment is not written). The decoder opened for this stays in the pool.
     *
     * @throws io.imgstore.format.FileOutsideRootException when the chunk file leads outside the root
     */
    public int visibleFrames(int chunk) {
        Pooled p;
        try {
            p = borrow(chunk, 0, false);
        } catch (io.imgstore.format.FileOutsideRootException e) {
            throw e;
        } catch (ImgStoreException e) {
            return 0;
        }
        int n = p.reader().frameCount();
        giveBack(p, true);
        return n;
    }

    /** Number of decoders currently open and idle (for tests and metrics). */
    public synchronized int idleDecoders() {
        return idle.size();
    }

    @Override
    public void close() {
        Map<Integer, VideoChunkReader> toClose = new HashMap<>();
        synchronized (this) {
            closed = true;
            int i = 0;
            for (Pooled p : idle) {
                toClose.put(i++, p.reader());
            }
            idle.clear();
        }
        toClose.values().forEach(VideoChunkReader::close);
    }
}
