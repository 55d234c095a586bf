package io.imgstore.format;

import io.imgstore.format.codec.ImageOps;
import io.imgstore.format.internal.ChunkIndex;
import io.imgstore.format.internal.Confinement;
import io.imgstore.format.internal.DirectoryFrameSource;
import io.imgstore.format.internal.ExtraDataFiles;
import io.imgstore.format.internal.FrameSource;
import io.imgstore.format.internal.StoreIndex;
import io.imgstore.format.internal.VideoFrameSource;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store opened for reading: the Java counterpart of imgstore's {@code new_for_filename(path)}.
 *
 * <p>Random-access reads ({@link #getFrame}, {@link #getFrameByIndex}, {@link #getNearestFrame},
 * {@link #getNearestFrameByTime}) are exact and thread-safe. {@link #nextFrame()} continues from the
 * last frame read, like imgstore's {@code get_next_image}. Close the store to release decoders.
 */
public final class ImgStore implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ImgStore.class.getName());
    private static final Pattern DATE_IN_NAME = Pattern.compile("(.*)(20\\d{6}_\\d{6}).*");

    private final StoreFiles files;
    private final Path baseDir;
    private final StoreMetadata metadata;
    private final StoreLayout layout;
    private final Map<String, Object> storeMetadata;
    private final Map<String, Object> userMetadata;
    private final String storeClass;
    private final StoreFormat format;
    private final int[] imgshape;
    private final PixelType pixelType;
    private final int chunksize;
    private final String encoding;
    private final String uuid;
    private final Instant createdUtc;
    private final ZoneId timezoneLocal;
    private final StoreIndex index;
    private final FrameSource frames;
    private final boolean color;
    private final Confinement confinement;
    /** Wall clock at open, ns since the epoch (compared with file modification times). */
    private final long openedAtNanos = System.currentTimeMillis() * 1_000_000L;
    private int cursor = -1;
    private volatile boolean closed;

    private ImgStore(StoreFiles files, Path baseDir, StoreMetadata md, int maxIdleDecoders, boolean buildIndex,
                     Confinement confinement) {
        this.files = files;
        this.baseDir = baseDir;
        this.confinement = confinement;
        this.metadata = md;
        this.storeMetadata = md.store();
        this.userMetadata = md.user();

        String cls = md.storeClass();
        if (cls == null) {
            throw new CorruptStoreException("metadata.yaml: __store has no 'class'");
        }
        if (!cls.equals("VideoImgStore") && !cls.equals("VideoImgStoreFFMPEG") && !cls.equals("DirectoryImgStore")) {
            throw new UnsupportedFormatException("store class '" + cls + "' not supported");
        }
        this.storeClass = cls;
        Object version = md.version();
        if (!(version instanceof Number v) || v.intValue() != 2) {
            throw new UnsupportedFormatException("store version '" + version + "' not supported (only version 2)");
        }
        this.imgshape = md.imgshape();
        if (imgshape == null) {
            throw new CorruptStoreException("metadata.yaml: 'imgshape' must be a list of integers");
        }
        if (imgshape.length < 2 || imgshape.length > 3 || (imgshape.length == 3 && imgshape[2] != 3 && imgshape[2] != 1)) {
            throw new CorruptStoreException("metadata.yaml: unsupported imgshape " + java.util.Arrays.toString(imgshape));
        }
        this.pixelType = PixelType.ofDtype(md.store().containsKey(StoreMetadata.IMGDTYPE) ? md.imgdtype() : "uint8");
        Object cs = md.store().get(StoreMetadata.CHUNKSIZE);
        if (!(cs instanceof Number csn) || csn.intValue() <= 0) {
            throw new CorruptStoreException("metadata.yaml: bad chunksize '" + cs + "'");
        }
        this.chunksize = csn.intValue();
        this.encoding = md.encodingOrNull();
        if (encoding != null && !ImageOps.supportsEncoding(encoding)) {
            throw new UnsupportedFormatException("image encoding '" + encoding + "' not supported");
        }
        this.uuid = md.uuid();
        this.format = resolveFormat(cls, md);
        this.layout = StoreLayout.of(baseDir, format);
        this.color = imgshape.length == 3 && imgshape[2] == 3;

        ZoneId tz;
        Instant created;
        String createdText = md.createdUtc();
        if (createdText != null) {
            created = parseCreated(createdText);
            tz = zone(md.timezoneLocal(), ZoneId.systemDefault());
        } else {
            tz = zone(string(md.user().get("timezone")), ZoneId.systemDefault());
            created = synthesizeCreated(files, baseDir, tz);
        }
        this.createdUtc = created;
        this.timezoneLocal = tz;

        FrameSource source = format.video()
                ? new VideoFrameSource(files, baseDir, format.extension(), color, maxIdleDecoders, confinement)
                : new DirectoryFrameSource(files, baseDir, format, color, imgshape, pixelType);
        List<ChunkIndex> indexes = new ArrayList<>();
        try {
            for (Map.Entry<Integer, Path> c : buildIndex ? findChunks().entrySet() : Map.<Integer, Path>of().entrySet()) {
                checkIndexFiles(c.getValue());
                var idx = ChunkIndex.load(files, c.getKey(), c.getValue());
                if (idx.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "missing index for chunk {0} of {1}; skipped", c.getKey(), baseDir);
                } else {
                    indexes.add(readable(idx.get(), c.getValue(), source));
                }
            }
        } catch (RuntimeException | Error e) {
            source.close();
            throw e;
        }
        this.index = new StoreIndex(indexes);
        this.frames = format.video() || !confinement.confines() ? source : new FrameSource() {
            @Override
            public Image read(int chunk, int position) {
                confinement.check(layout.frameFile(chunk, position), baseDir);
                return source.read(chunk, position);
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    /**
     * The frames of a chunk a reader can get. A chunk still being written is indexed by its journal,
     * which runs ahead of the video file (an mp4 fragment reaches the file when the next keyframe
     * starts; mkv/avi buffer a little too): such an index is cut to the frames the demuxer sees in
     * the file now, so every counted frame (count, frame_max, frame metadata) is readable. Frames
     * appear once the file has them (the next open of the store). Chunks with a written index
     * ({@code .npz}/{@code .yaml}) are complete and kept as they are.
     */
    private ChunkIndex readable(ChunkIndex idx, Path base, FrameSource source) {
        if (!(source instanceof VideoFrameSource video) || idx.size() == 0
                || StoreLayout.hasWrittenIndex(base)) {
            return idx;
        }
        int visible = video.visibleFrames(idx.chunk());
        if (visible >= idx.size()) {
            return idx;
        }
        return new ChunkIndex(idx.chunk(), java.util.Arrays.copyOf(idx.frameNumbers(), visible),
                java.util.Arrays.copyOf(idx.frameTimes(), visible));
    }

    /** The index files {@link ChunkIndex#load} may open for a chunk, checked against the confinement root. */
    private void checkIndexFiles(Path base) {
        if (!confinement.confines()) {
            return;
        }
        for (Path f : StoreLayout.indexFiles(base)) {
            confinement.check(f, baseDir);
        }
    }

    /**
     * Opens a store for reading.
     *
     * @param path the store folder or its {@code metadata.yaml}
     * @throws StoreNotFoundException     when there is no {@code metadata.yaml}
     * @throws UnsupportedFormatException for unknown classes, versions, formats or encodings
     * @throws CorruptStoreException      for unreadable metadata or indexes
     */
    public static ImgStore open(Path path) {
        return open(path, 4);
    }

    /** As {@link #open(Path)}, keeping at most {@code maxIdleDecoders} video decoders open between reads. */
    public static ImgStore open(Path path, int maxIdleDecoders) {
        return open(path, StoreFiles.LOCAL, maxIdleDecoders, null);
    }

    /**
     * As {@link #open(Path, int)}, confined to {@code root}: every file the store reads (metadata,
     * indexes, journals, chunks, frame files, extra data) must really be under {@code root} after
     * following symbolic links; one that is not is never opened.
     *
     * @param root the confinement root, or null for none
     * @throws FileOutsideRootException when the store folder or one of its files leads outside {@code root}
     */
    public static ImgStore open(Path path, int maxIdleDecoders, Path root) {
        return open(path, StoreFiles.LOCAL, maxIdleDecoders, root);
    }

    /**
     * As {@link #open(Path, int, Path)}, every file read through {@code files}, the storage seam
     * (metadata, indexes, journals, the listing of chunks, chunks, frame files, extra data): the
     * store may live anywhere a {@link StoreFiles} reaches. The other overloads use
     * {@link StoreFiles#LOCAL}.
     *
     * @param files where the store's files are read from
     * @param root  the confinement root (links resolved through {@code files}), or null for none
     */
    public static ImgStore open(Path path, StoreFiles files, int maxIdleDecoders, Path root) {
        Confinement c = Confinement.of(files, root);
        Path dir = storeDir(files, path);
        if (c.confines()) {
            c.check(dir, null);
        }
        return new ImgStore(files, dir, StoreMetadata.read(files, dir, c), maxIdleDecoders, true, c);
    }

    /** The store folder for a path that is the folder or its {@code metadata.yaml}. */
    static Path storeDir(Path path) {
        return storeDir(StoreFiles.LOCAL, path);
    }

    static Path storeDir(StoreFiles files, Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (p.getFileName() != null && p.getFileName().toString().equals(StoreLayout.METADATA_FILE) && !files.isDirectory(p)) {
            return p.getParent();
        }
        if (!files.isDirectory(p)) {
            throw new StoreNotFoundException("no store at '" + path + "': not a folder");
        }
        return p;
    }

    /** True when the folder holds a {@code metadata.yaml} (it may still be unreadable). */
    public static boolean isStore(Path dir) {
        return isStore(StoreFiles.LOCAL, dir);
    }

    /** As {@link #isStore(Path)}, asked through {@code files}. */
    public static boolean isStore(StoreFiles files, Path dir) {
        return files.isFile(dir.resolve(StoreLayout.METADATA_FILE));
    }

    private static StoreFormat resolveFormat(String cls, StoreMetadata md) {
        String f = md.format();
        if (f == null) {
            throw new CorruptStoreException("metadata.yaml: __store has no 'format'");
        }
        if (cls.equals("DirectoryImgStore")) {
            StoreFormat sf = StoreFormat.of(f);
            if (sf.video()) {
                throw new CorruptStoreException("DirectoryImgStore with video format '" + f + "'");
            }
            return sf;
        }
        String ext = md.extension();
        StoreFormat known;
        try {
            known = StoreFormat.of(f);
        } catch (UnsupportedFormatException e) {
            known = null; // Motif/bview names (libx264, ...): any codec FFmpeg decodes
        }
        if (known != null && !known.video()) {
            throw new CorruptStoreException("VideoImgStore with image format '" + f + "'");
        }
        if (ext == null) {
            ext = f.equals("mjpeg") ? ".avi" : (known != null ? known.extension() : ".mp4");
        }
        if (known != null && known.extension().equals(ext)) {
            return known;
        }
        return StoreFormat.foreignVideo(f, ext);
    }

    private Map<Integer, Path> findChunks() {
        TreeMap<Integer, Path> chunks = new TreeMap<>();
        try {
            for (Path p : files.list(baseDir)) {
                String name = p.getFileName().toString();
                if (format.video()) {
                    if (name.endsWith(format.extension())) {
                        String stem = name.substring(0, name.length() - format.extension().length());
                        Matcher m = StoreLayout.CHUNK_NAME.matcher(stem);
                        if (m.matches() && files.isFile(p)) {
                            int n = Integer.parseInt(stem);
                            chunks.put(n, layout.indexBase(n));
                        }
                    }
                } else if (StoreLayout.CHUNK_NAME.matcher(name).matches() && files.isDirectory(p)) {
                    int n = Integer.parseInt(name);
                    chunks.put(n, layout.indexBase(n));
                }
            }
        } catch (IOException e) {
            throw new CorruptStoreException("cannot list store folder: " + e.getMessage(), e);
        }
        return chunks;
    }

    private static Instant parseCreated(String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new CorruptStoreException("metadata.yaml: cannot parse created_utc '" + text + "'", e2);
            }
        }
    }

    private static Instant synthesizeCreated(StoreFiles files, Path baseDir, ZoneId tz) {
        Matcher m = DATE_IN_NAME.matcher(baseDir.getFileName().toString());
        if (m.matches()) {
            LocalDateTime local = LocalDateTime.parse(m.group(2), DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
            return local.atZone(tz).toInstant();
        }
        try {
            return files.lastModified(baseDir.resolve(StoreLayout.METADATA_FILE)).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static ZoneId zone(String name, ZoneId fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        try {
            return ZoneId.of(name);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    // ---- reads ----

    /**
     * The first frame with exactly this frame number.
     *
     * @throws FrameNotFoundException when no frame has that number
     */
    public Frame getFrame(long frameNumber) {
        OptionalInt i = index.indexOfNumber(frameNumber);
        if (i.isEmpty()) {
            throw new FrameNotFoundException("frame number " + frameNumber + " not in store");
        }
        return readIndex(i.getAsInt());
    }

    /** The frame whose number is nearest to {@code frameNumber} (imgstore's {@code exact_only=False}). */
    public Frame getNearestFrame(long frameNumber) {
        return readIndex(index.indexOfNearestNumber(frameNumber));
    }

    /**
     * The frame at {@code frameIndex} (0 .. frame_count-1).
     *
     * @throws FrameNotFoundException when the index is outside the store
     */
    public Frame getFrameByIndex(long frameIndex) {
        if (frameIndex < 0 || frameIndex >= index.frameCount()) {
            throw new FrameNotFoundException("frame index " + frameIndex + " outside 0.." + (index.frameCount() - 1));
        }
        return readIndex((int) frameIndex);
    }

    /** The frame whose time is nearest to {@code frameTime}. */
    public Frame getNearestFrameByTime(double frameTime) {
        return readIndex(index.indexOfNearestTime(frameTime));
    }

    /**
     * The frame after the last one read (the first frame if none was read yet).
     *
     * @throws EndOfStoreException after the last frame
     */
    public Frame nextFrame() {
        int next;
        synchronized (this) {
            next = cursor + 1;
            if (next >= index.frameCount()) {
                throw new EndOfStoreException("end of store after frame index " + cursor);
            }
        }
        return readIndex(next);
    }

    /** Where a frame is, without decoding it. */
    public FrameInfo frameInfo(long frameIndex) {
        if (frameIndex < 0 || frameIndex >= index.frameCount()) {
            throw new FrameNotFoundException("frame index " + frameIndex + " outside 0.." + (index.frameCount() - 1));
        }
        return index.info((int) frameIndex);
    }

    /** Index of the first frame with this number, without decoding. */
    public OptionalInt indexOfFrameNumber(long frameNumber) {
        return index.indexOfNumber(frameNumber);
    }

    /** Index of the nearest frame number, without decoding. */
    public int indexOfNearestFrameNumber(long frameNumber) {
        return index.indexOfNearestNumber(frameNumber);
    }

    /** Index of the frame nearest in time, without decoding. */
    public int indexOfNearestTime(double frameTime) {
        return index.indexOfNearestTime(frameTime);
    }

    private Frame readIndex(int i) {
        if (closed) {
            throw new ImgStoreException("store is closed");
        }
        Image raw = frames.read(index.chunkOf(i), index.positionInChunk(i));
        Image image = encoding == null ? raw : ImageOps.decodeEncoding(raw, encoding);
        synchronized (this) {
            cursor = i;
        }
        return new Frame(image, index.info(i));
    }

    /**
     * Where a frame lies in the files, without decoding: its chunk and its position (0-based) in
     * that chunk, e.g. to copy the frames of a video chunk without decoding them.
     */
    public record ChunkPosition(int chunk, int position) {
    }

    /** The chunk and position of a frame index (see {@link ChunkPosition}). */
    public ChunkPosition chunkPosition(long frameIndex) {
        if (frameIndex < 0 || frameIndex >= index.frameCount()) {
            throw new FrameNotFoundException("frame index " + frameIndex + " outside 0.." + (index.frameCount() - 1));
        }
        return new ChunkPosition(index.chunkOf((int) frameIndex), index.positionInChunk((int) frameIndex));
    }

    /**
     * The video file of a chunk of a video store, checked against the store's confinement root
     * (as every file the store reads).
     *
     * @throws ImgStoreException when the store is not a video store
     */
    public Path videoChunkFile(int chunk) {
        if (!format.video()) {
            throw new ImgStoreException("not a video store: " + format);
        }
        Path f = layout.videoChunkFile(chunk);
        confinement.check(f, baseDir);
        return f;
    }

    /**
     * A reader for long runs of frames read in ascending index order (bulk reads, exports): it keeps
     * one decoder positioned for itself, so each next frame of a video chunk is decoded forward
     * (one seek where the run starts or jumps past a keyframe, none per frame). Frames are exact as
     * with {@link #getFrameByIndex}. Not thread-safe; close it to give its decoder back.
     */
    public SequentialReader sequentialReader() {
        if (closed) {
            throw new ImgStoreException("store is closed");
        }
        return new SequentialReader(frames.cursor());
    }

    /** See {@link #sequentialReader()}. */
    public final class SequentialReader implements AutoCloseable {
        private final FrameSource.Cursor cursor;

        private SequentialReader(FrameSource.Cursor cursor) {
            this.cursor = cursor;
        }

        /**
         * The frame at {@code frameIndex}; cheapest when indexes ascend.
         *
         * @throws FrameNotFoundException when the index is outside the store
         */
        public Frame read(long frameIndex) {
            int i = checkedIndex(frameIndex);
            int chunk = index.chunkOf(i);
            int position = index.positionInChunk(i);
            Image raw = cursor.read(chunk, position);
            Image image = encoding == null ? raw : ImageOps.decodeEncoding(raw, encoding);
            return new Frame(image, index.info(i));
        }

        /**
         * The frame at {@code frameIndex} lent to {@code visitor} without copying it where it can be
         * (a video chunk's decoded pixels in native memory): the same pixels as {@link #read(long)},
         * for callers that stream frames somewhere (a file, a socket) and keep none. The
         * {@link PixelView} is valid only until the visitor returns.
         *
         * @throws FrameNotFoundException when the index is outside the store
         * @throws IOException            what the visitor throws
         */
        public <T> T read(long frameIndex, FrameVisitor<T> visitor) throws IOException {
            int i = checkedIndex(frameIndex);
            FrameInfo info = index.info(i);
            if (encoding != null) {
                return visitor.visit(info, PixelView.of(read(frameIndex).image()));
            }
            return cursor.read(index.chunkOf(i), index.positionInChunk(i), pixels -> visitor.visit(info, pixels));
        }

        private int checkedIndex(long frameIndex) {
            if (frameIndex < 0 || frameIndex >= index.frameCount()) {
                throw new FrameNotFoundException("frame index " + frameIndex + " outside 0.." + (index.frameCount() - 1));
            }
            if (closed) {
                throw new ImgStoreException("store is closed");
            }
            return (int) frameIndex;
        }

        @Override
        public void close() {
            cursor.close();
        }
    }

    /**
     * Reads one frame by index straight from the files, without building the store's index:
     * imgstore's {@code extract_only_frame} (chunk = index / chunksize).
     */
    public static Image extractOnlyFrame(Path path, long frameIndex) {
        return extractOnlyFrame(StoreFiles.LOCAL, path, frameIndex);
    }

    /** As {@link #extractOnlyFrame(Path, long)}, read through {@code files}. */
    public static Image extractOnlyFrame(StoreFiles files, Path path, long frameIndex) {
        Path dir = storeDir(files, path);
        try (ImgStore s = new ImgStore(files, dir, StoreMetadata.read(files, dir, Confinement.NONE), 1, false,
                Confinement.NONE)) {
            int chunk = (int) (frameIndex / s.chunksize);
            int pos = (int) (frameIndex % s.chunksize);
            Image raw = s.frames.read(chunk, pos);
            return s.encoding == null ? raw : ImageOps.decodeEncoding(raw, s.encoding);
        }
    }

    /**
     * A fingerprint of the files a frame is read from, without reading them: size and modification
     * time of {@code metadata.yaml}, the frame's chunk file (video) or frame file (directory stores)
     * and the chunk's index files. Changes when any of them is rewritten, even in place; equal for
     * equal files. Hex, 16 digits.
     */
    public String fingerprint(long frameIndex) {
        long h = 0xcbf29ce484222325L;
        for (long[] a : attributes(frameIndex)) {
            h = mix(mix(h, a[0]), a[1]);
        }
        return String.format("%016x", h);
    }

    /**
     * True when one of the files a frame is read from ({@link #fingerprint}) was modified after, or
     * less than a second before, this reader was opened: the reader may hold an older state of it
     * (indexes, a decoder's frame table), so a cache should reopen the store before serving it.
     */
    public boolean filesChangedSinceOpen(long frameIndex) {
        long limit = openedAtNanos - 1_000_000_000L;
        for (long[] a : attributes(frameIndex)) {
            if (a[1] >= limit) {
                return true;
            }
        }
        return false;
    }

    /** {size, mtime in ns since the epoch} of each file a frame is read from; -1 for absent files. */
    private List<long[]> attributes(long frameIndex) {
        if (frameIndex < 0 || frameIndex >= index.frameCount()) {
            throw new FrameNotFoundException("frame index " + frameIndex + " outside 0.." + (index.frameCount() - 1));
        }
        int i = (int) frameIndex;
        int chunk = index.chunkOf(i);
        List<Path> read = new ArrayList<>();
        read.add(layout.metadataFile());
        if (format.video()) {
            read.add(layout.videoChunkFile(chunk));
        } else {
            read.add(layout.frameFile(chunk, index.positionInChunk(i)));
        }
        read.addAll(List.of(StoreLayout.indexFiles(layout.indexBase(chunk))));
        List<long[]> out = new ArrayList<>(read.size());
        for (Path f : read) {
            long size = -1;
            long mtime = -1;
            try {
                if (files.localFile(f).isPresent()) {
                    var a = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
                    size = a.size();
                    mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
                } else {
                    size = files.size(f);
                    mtime = files.lastModified(f).to(java.util.concurrent.TimeUnit.NANOSECONDS);
                }
            } catch (IOException e) {
                // absent: part of the fingerprint too
            }
            out.add(new long[] {size, mtime});
        }
        return out;
    }
    private static long mix(long h, long v) {
        h ^= v;
        h *= 0x100000001b3L;
        return h ^ (h >>> 29);
    }

    // ---- metadata ----

    public Path path() {
        return baseDir;
    }

    /** Where this store's files are read from (the storage seam it was opened with). */
    public StoreFiles files() {
        return files;
    }

    /** The {@code __store} block as read. */
    public Map<String, Object> storeMetadata() {
        return storeMetadata;
    }

    /** The store's {@code metadata.yaml}, typed. */
    public StoreMetadata metadata() {
        return metadata;
    }

    /** The names of the store's files. */
    public StoreLayout layout() {
        return layout;
    }

    /** Everything in {@code metadata.yaml} but the {@code __store} block. */
    public Map<String, Object> userMetadata() {
        return userMetadata;
    }

    /** {@code VideoImgStore}, {@code DirectoryImgStore} or {@code VideoImgStoreFFMPEG} (Motif). */
    public String storeClass() {
        return storeClass;
    }

    public StoreFormat format() {
        return format;
    }

    /** The imgstore {@code encoding} (e.g. {@code cv_bayerbg}) or null. */
    public String encoding() {
        return encoding;
    }

    public PixelType pixelType() {
        return pixelType;
    }

    /** {@code imgshape} as stored in the metadata. */
    public int[] imgshape() {
        return imgshape.clone();
    }

    /** The shape of the frames reads return: {@code imgshape}, or {@code [h, w, 3]} when an encoding decodes to colour. */
    public int[] imageShape() {
        return encoding != null ? new int[] {imgshape[0], imgshape[1], 3} : imgshape.clone();
    }

    public int chunksize() {
        return chunksize;
    }

    public String uuid() {
        return uuid;
    }

    /** When recording started, in UTC (synthesised from the folder name or file time for old stores). */
    public Instant createdUtc() {
        return createdUtc;
    }

    /** The recording machine's time zone. */
    public ZoneId timezoneLocal() {
        return timezoneLocal;
    }

    /** imgstore's {@code created}: the creation time in the recording's local zone. */
    public ZonedDateTime created() {
        return createdUtc.atZone(timezoneLocal);
    }

    public boolean lossless() {
        return format.lossless();
    }

    public int frameCount() {
        return index.frameCount();
    }

    /** Smallest frame number; empty for a store without frames. */
    public OptionalLong frameMin() {
        return index.frameCount() == 0 ? OptionalLong.empty() : OptionalLong.of(index.frameMin());
    }

    /** Largest frame number; empty for a store without frames. */
    public OptionalLong frameMax() {
        return index.frameCount() == 0 ? OptionalLong.empty() : OptionalLong.of(index.frameMax());
    }

    /** Earliest frame time (0.0 without frames, as imgstore). */
    public double frameTimeMin() {
        return index.frameTimeMin();
    }

    public double frameTimeMax() {
        return index.frameTimeMax();
    }

    /** Non-empty chunk numbers, ascending. */
    public int[] chunks() {
        return index.chunks();
    }

    /** imgstore's {@code get_frame_metadata()}: all frame numbers and times in index order. */
    public FrameMetadata frameMetadata() {
        return new FrameMetadata(index.frameNumbers(), index.frameTimes());
    }

    private List<Path> chunkExtraJsonFiles() {
        List<Path> json = new ArrayList<>();
        for (Map.Entry<Integer, Path> c : findChunks().entrySet()) {
            Path f = layout.extraJson(c.getKey());
            confinement.check(f, baseDir);
            json.add(f);
        }
        if (confinement.confines()) {
            for (Path motif : ExtraDataFiles.motifFiles(files, baseDir)) {
                confinement.check(motif, baseDir);
            }
        }
        return json;
    }

    public boolean hasExtraData() {
        return ExtraDataFiles.any(files, baseDir, chunkExtraJsonFiles());
    }

    /**
     * All extra data records, in chunk order, each a map with {@code frame_number}, {@code frame_time},
     * {@code frame_index} (where recorded) and the recorded keys. Motif's root-level files take
     * precedence where present; their rows with {@code frame_number < 0} are dropped.
     */
    public List<Map<String, Object>> extraData() {
        return ExtraDataFiles.read(files, baseDir, chunkExtraJsonFiles());
    }

    @Override
    public void close() {
        closed = true;
        frames.close();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "ImgStore[" + baseDir.getFileName() + ", " + storeClass + " " + format + ", " + frameCount() + " frames]";
    }
}
