package io.imgstore.service.ingest;

import io.imgstore.format.StoreLayout;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreExistsException;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreLockedException;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreEntry;
import io.imgstore.service.catalog.StoreNotInRootException;
import io.imgstore.service.catalog.StoreRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Service;

/**
 * The stores open for writing, by id: one {@link WriterSession} (one {@link ImgStoreWriter}) per
 * store, kept open between requests until {@code POST /stores/{id}/close}.
 *
 * <p>Crash safety: a store left open by a killed server ({@code .lock} present) is recovered with
 * {@link ImgStoreWriter#recover} when the server starts (or, failing that, when a client first
 * writes to it): the open chunk's index is rebuilt from its journal, and the store is kept open so
 * that rigs continue where they were (in a new chunk) and close it as usual. A graceful shutdown
 * closes every open store cleanly (nothing is lost) and remembers them in {@code <root>/.ingest/reopen},
 * so that they too are reopened for continuation on the next start.
 */
@Service
public class IngestSessions implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(IngestSessions.class);
    private static final String REOPEN_FILE = ".ingest/reopen";

    private final StoreCatalog catalog;
    private final StoreRegistry registry;
    private final IngestProperties props;
    private final BufferBudget budget;
    private final Map<String, WriterSession> open = new ConcurrentHashMap<>();
    private final Map<String, Long> refreshedAt = new HashMap<>();
    private final ScheduledExecutorService ticker;

    public IngestSessions(StoreCatalog catalog, StoreRegistry registry, IngestProperties props, MeterRegistry meters) {
        this.catalog = catalog;
        this.registry = registry;
        this.props = props;
        this.budget = new BufferBudget(props.maxBufferedBytes());
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-sync");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(10, props.syncInterval().toMillis());
        ticker.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        Gauge.builder("imgstore.ingest.open", open, Map::size).description("stores open for writing").register(meters);
        Gauge.builder("imgstore.ingest.buffered.bytes", budget, BufferBudget::heldBytes)
                .description("frame bytes parsed and waiting for a writer").register(meters);
    }

    public IngestProperties properties() {
        return props;
    }

    public BufferBudget budget() {
        return budget;
    }

    // ---- create ----

    /**
     * Creates a store and keeps it open for writing.
     *
     * @throws io.imgstore.service.catalog.InvalidStorePathException for a path that is absolute, has {@code ..}, ...
     * @throws StoreExistsException when the path exists or lies inside another store
     * @throws UnsupportedFormatException for unknown formats and dtypes
     * @throws InvalidImageException for bad shapes or chunk sizes
     */
    public WriterSession create(CreateStoreRequest req) {
        Path dir = catalog.newStoreDir(req.path());
        StoreSpec spec = specOf(req, props.maxFrameBytes());
        for (Path p = dir; p != null && p.startsWith(catalog.root()) && !p.equals(catalog.root()); p = p.getParent()) {
            if (ImgStore.isStore(p)) {
                throw new StoreExistsException(p.equals(dir) ? "a store already exists at " + req.path()
                        : "path " + req.path() + " lies inside the store " + catalog.root().relativize(p));
            }
        }
        if (Files.exists(dir)) {
            throw new StoreExistsException("path " + req.path() + " already exists");
        }
        String id = catalog.idOf(dir);
        synchronized (this) {
            if (open.containsKey(id)) {
                throw new StoreExistsException("a store already exists at " + req.path());
            }
            ImgStoreWriter w = ImgStoreWriter.create(dir, spec);
            WriterSession s = newSession(id, dir, w);
            open.put(id, s);
            catalog.refresh();
            LOG.info("created store {} ({} {})", id, spec.format(), java.util.Arrays.toString(spec.imgshape()));
            return s;
        }
    }

    static StoreSpec specOf(CreateStoreRequest req) {
        return specOf(req, IngestProperties.DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * The spec of a new store; frames larger than {@code maxFrameBytes} (h x w x channels x bytes per
     * sample, computed without overflow) are refused before anything is created or allocated.
     */
    static StoreSpec specOf(CreateStoreRequest req, long maxFrameBytes) {
        if (req.format() == null || req.format().isBlank()) {
            throw new UnsupportedFormatException("format is required, e.g. \"avc1/mp4\" or \"npy\"");
        }
        StoreFormat format = StoreFormat.of(req.format());
        if (format.name().equals("mjpeg") || !StoreFormat.SUPPORTED.contains(format)) {
            throw new UnsupportedFormatException("cannot write format '" + req.format() + "'");
        }
        if (req.imgshape() == null || req.imgshape().stream().anyMatch(v -> v == null)) {
            throw new InvalidImageException("imgshape is required: [h, w] or [h, w, 3]");
        }
        int[] shape = req.imgshape().stream().mapToInt(Integer::intValue).toArray();
        PixelType type = PixelType.ofDtype(req.imgdtype() == null ? "uint8" : req.imgdtype());
        int chunksize = req.chunksize() == null ? StoreSpec.defaultChunksize(format) : req.chunksize();
        VideoEncoderSettings enc = null;
        if (format.equals(StoreFormat.AVC1_MP4)) {
            // fragmented: a chunk being written stays playable up to its last keyframe if the server is killed
            enc = VideoEncoderSettings.defaults().withFragmented(true);
        } else if (format.equals(StoreFormat.MJPEG_AVI)) {
            enc = VideoEncoderSettings.mjpegDefaults();
        } else if (format.video()) {
            enc = VideoEncoderSettings.defaults();
        }
        String encoding = req.encoding() == null || req.encoding().isBlank() ? null : req.encoding();
        StoreSpec spec = new StoreSpec(format, shape, type, chunksize, req.userMetadata(), encoding, enc);
        if (shape[0] > 65536 || shape[1] > 65536 || (long) shape[0] * shape[1] > 268_435_456L) {
            throw new InvalidImageException("imgshape too large: " + java.util.Arrays.toString(shape));
        }
        long frameBytes;
        try {
            frameBytes = RecordDecoder.frameBytes(shape, type);
        } catch (ArithmeticException e) {
            frameBytes = Long.MAX_VALUE;
        }
        if (frameBytes > maxFrameBytes) {
            throw new InvalidImageException("a frame of imgshape " + java.util.Arrays.toString(shape) + " "
                    + type.dtype() + " has " + (frameBytes == Long.MAX_VALUE ? "too many" : String.valueOf(frameBytes))
                    + " bytes, more than imgstore.ingest.max-frame-bytes (" + maxFrameBytes + ")");
        }
        return spec;
    }

    private WriterSession newSession(String id, Path dir, ImgStoreWriter w) {
        w.setMaxExtraDataBytesPerChunk(props.maxExtraDataBytesPerChunk());
        return new WriterSession(id, catalog.root().relativize(dir).toString().replace('\\', '/'), w,
                props.queueFrames(), budget, s -> registry.invalidate(s.id()));
    }

    // ---- lookup ----

    /**
     * The open session of a store; a store left open by a killed server is recovered first.
     *
     * @throws StoreNotInRootException when there is no such store
     * @throws StoreClosedException    when the store exists but is closed
     * @throws StoreLockedException    when another process holds it
     */
    public WriterSession session(String id) {
        WriterSession s = open.get(id);
        if (s != null && !s.isClosed()) {
            return s;
        }
        StoreEntry entry = catalog.find(id);
        if (!StoreLayout.isBeingWritten(entry.dir())) {
            throw new StoreClosedException(id);
        }
        synchronized (this) {
            s = open.get(id);
            if (s != null && !s.isClosed()) {
                return s;
            }
            s = recover(entry.id(), entry.dir());
            return s;
        }
    }

    /** The open session of a store, or null (no recovery attempted). */
    public WriterSession find(String id) {
        WriterSession s = open.get(id);
        return s == null || s.isClosed() ? null : s;
    }

    public Collection<WriterSession> openSessions() {
        return List.copyOf(open.values());
    }

    /** Closes a store: finishes its chunk and index, removes {@code .lock}. A closed store: its summary (idempotent). */
    public StoreSummary close(String id) {
        WriterSession s;
        try {
            s = session(id);
        } catch (StoreClosedException e) {
            try (StoreRegistry.Lease lease = registry.lease(id)) {
                return StoreSummary.of(lease.entry().id(), lease.entry().path(), lease.store());
            }
        }
        s.close();
        open.remove(id, s);
        afterClose(s);
        return StoreSummary.of(s, false);
    }

    void afterClose(WriterSession s) {
        open.remove(s.id(), s);
        registry.invalidate(s.id());
        catalog.refresh();
        LOG.info("closed store {} with {} frames", s.id(), s.frameCount());
    }

    // ---- recovery ----

    /**
     * A writer reopening a store reads and rewrites its files (journals, indexes, extra data): none
     * may be a link leading outside the root, or recovery would write there.
     *
     * @throws io.imgstore.format.FileOutsideRootException when one is
     */
    private void checkConfined(Path dir) {
        Path realRoot = catalog.realRoot();
        try (var files = Files.walk(dir, 2)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isSymbolicLink(p)) {
                    Path real;
                    try {
                        real = p.toRealPath();
                    } catch (IOException dangling) {
                        real = null;
                    }
                    if (real == null || !real.startsWith(realRoot)) {
                        throw new io.imgstore.format.FileOutsideRootException(dir.relativize(p)
                                + " leads outside the store root (symbolic link); the store is not reopened for writing");
                    }
                }
            }
        } catch (IOException e) {
            throw new io.imgstore.format.ImgStoreException("cannot check store folder: " + e.getMessage(), e);
        }
    }

    private WriterSession recover(String id, Path dir) {
        if (heldElsewhere(dir)) {
            throw new StoreLockedException("store " + id + " is held open by another process");
        }
        checkConfined(dir);
        ImgStoreWriter w = ImgStoreWriter.recover(dir);
        WriterSession s = newSession(id, dir, w);
        open.put(id, s);
        registry.invalidate(id);
        LOG.info("recovered store {}: {} frames, kept open for continuation", id, w.frameCount());
        return s;
    }

    /** True when another process holds the store's {@code .lock} (an flock), so it is not ours to recover. */
    private static boolean heldElsewhere(Path dir) {
        Path lock = StoreLayout.lockFile(dir);
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }

    /** On start: recover stores a killed server left open, reopen those a graceful shutdown closed. */
    @Override
    public void afterSingletonsInstantiated() {
        warmUpCodecs();
        if (!props.recoverOnStart()) {
            return;
        }
        List<String> reopen = readReopenList();
        for (StoreEntry e : catalog.list()) {
            boolean locked = e.live();
            boolean listed = reopen.contains(e.path());
            if (!locked && !listed) {
                continue;
            }
            try {
                synchronized (this) {
                    if (locked) {
                        recover(e.id(), e.dir());
                    } else {
                        checkConfined(e.dir());
                        ImgStoreWriter w = ImgStoreWriter.recover(e.dir()); // a closed store: reopened for appending
                        open.put(e.id(), newSession(e.id(), e.dir(), w));
                        registry.invalidate(e.id());
                        LOG.info("reopened store {} ({} frames) for continuation after a restart", e.id(), w.frameCount());
                    }
                }
            } catch (RuntimeException ex) {
                LOG.warn("cannot recover store {}: {}", e.id(), ex.getMessage());
            }
        }
        try {
            Files.deleteIfExists(catalog.root().resolve(REOPEN_FILE));
        } catch (IOException ex) {
            LOG.warn("cannot remove {}: {}", REOPEN_FILE, ex.getMessage());
        }
    }

    /**
     * Loads the OpenCV/FFmpeg natives in the background at start, so that the first frame a rig sends
     * is not held up for seconds (which would also delay the answer to its first request).
     */
    private static void warmUpCodecs() {
        Thread t = new Thread(() -> {
            try {
                io.imgstore.format.codec.ImageCodec.encode(io.imgstore.format.Image.blank(2, 2, 1, PixelType.UINT8),
                        ".png", 95);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("codec natives could not be loaded: {}", e.toString());
            }
        }, "ingest-codec-warmup");
        t.setDaemon(true);
        t.start();
    }

    private List<String> readReopenList() {
        Path f = catalog.root().resolve(REOPEN_FILE);
        try {
            return Files.isRegularFile(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", REOPEN_FILE, e.getMessage());
            return List.of();
        }
    }

    // ---- periodic sync and refresh ----

    private void tick() {
        try {
            for (WriterSession s : open.values()) {
                if (s.isClosed()) {
                    continue;
                }
                long n = s.frameCount();
                Long last;
                synchronized (refreshedAt) {
                    last = refreshedAt.put(s.id(), n);
                }
                if (last == null || last != n) {
                    s.syncAsync();
                    // readers see the journal-backed open chunk: refresh them at most once a tick
                    registry.invalidate(s.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("ingest sync failed: {}", e.toString());
        }
    }

    // ---- shutdown ----

    @PreDestroy
    public void shutdown() {
        ticker.shutdownNow();
        List<String> closed = new ArrayList<>();
        for (WriterSession s : open.values()) {
            try {
                s.forceClose();
                closed.add(s.path());
            } catch (ImgStoreException | StoreClosedException e) {
                LOG.warn("closing store {} at shutdown failed: {}", s.id(), e.getMessage());
            }
        }
        open.clear();
        if (!closed.isEmpty() && props.recoverOnStart()) {
            Path f = catalog.root().resolve(REOPEN_FILE);
            try {
                Files.createDirectories(f.getParent());
                Files.write(f, closed, StandardCharsets.UTF_8);
                LOG.info("closed {} open store(s) at shutdown; they are reopened on the next start", closed.size());
            } catch (IOException e) {
                LOG.warn("cannot write {}: {}", REOPEN_FILE, e.getMessage());
            }
        }
    }
}
