package io.imgstore.format.storage.s3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.imgstore.format.storage.StoreFiles;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link StoreFiles} over S3-compatible object storage (read side).
 *
 * <p>The store root {@code s3://bucket/prefix} is presented to the library as a synthetic absolute
 * path, its {@linkplain #anchor() anchor} {@code /s3/<bucket>/<prefix>}; every path passed in must
 * normalize to the anchor or below it (else a {@link FileSystemException} "outside the root"), and
 * its key is the prefix and the path relative to the anchor joined with '/'.
 * <ul>
 *   <li>{@link #list}: ListObjectsV2 with delimiter '/' (common prefixes are folders, objects
 *       files), paginated, at most {@link Options#maxListEntries} entries; names that are not
 *       valid path segments ({@code ..}, empty, control characters) are left out.</li>
 *   <li>{@link #isFile}, {@link #exists}, {@link #size}, {@link #lastModified}: HEAD (a folder
 *       "exists" when something is stored below it), remembered for {@link Options#metadataTtl}
 *       (listings fill the same cache). Modification times are whole seconds (HEAD's precision).</li>
 *   <li>{@link #read}, {@link #readString}, {@link #newReader}, {@link #newInputStream}: one GET,
 *       refused ({@link S3ObjectTooLargeException}) above {@link Options#maxReadBytes} before
 *       anything is allocated.</li>
 *   <li>{@link #newChannel}: a read-only channel over ranged GETs (conditional on the object's
 *       ETag, so a replaced object fails instead of mixing bytes) in blocks of
 *       {@link Options#blockSize}: the missing blocks one read needs come in one GET; read-ahead
 *       adapts like an OS page cache (none after a seek, a window doubling up to
 *       {@link Options#readAheadBlocks} while reads stay sequential, none without a cache); a
 *       block cache shared by all channels of this instance, bounded to
 *       {@link Options#blockCacheBytes} bytes (Caffeine, weighed by block length).</li>
 * </ul>
 * Absent objects raise {@link NoSuchFileException}, refused access {@link AccessDeniedException},
 * other failures an {@link IOException} naming the file. {@link #stats()} counts requests and bytes.
 * Thread-safe; the {@link S3Client} is the caller's (not closed here).
 */
public final class S3StoreFiles implements StoreFiles {

    /**
     * Tunables.
     *
     * @param metadataTtl how long HEAD/list results are remembered (zero: not at all)
     * @param metadataEntries at most this many remembered keys
     * @param blockSize bytes per ranged GET block (4 KiB to 64 MiB)
     * @param blockCacheBytes bytes of blocks kept for all channels together (0: none beyond
     *        the blocks of each channel's last GET)
     * @param readAheadBlocks most extra blocks fetched in the same GET while a channel reads
     *        sequentially (the window starts at 0 after a seek and doubles from 1 up to this); none
     *        without a block cache
     * @param maxReadBytes largest object read whole ({@link #read} and the streams)
     * @param maxListEntries largest folder {@link #list} returns (more: an IOException)
     */
    public record Options(Duration metadataTtl, long metadataEntries, int blockSize, long blockCacheBytes,
            int readAheadBlocks, long maxReadBytes, int maxListEntries) {

        public Options {
            Objects.requireNonNull(metadataTtl, "metadataTtl");
            if (metadataTtl.isNegative()) {
                throw new IllegalArgumentException("metadataTtl must not be negative");
            }
            if (metadataEntries < 0) {
                throw new IllegalArgumentException("metadataEntries must not be negative");
            }
            if (blockSize < 4096 || blockSize > 64 << 20) {
                throw new IllegalArgumentException("blockSize must be between 4 KiB and 64 MiB");
            }
            if (blockCacheBytes < 0) {
                throw new IllegalArgumentException("blockCacheBytes must not be negative");
            }
            if (readAheadBlocks < 0 || readAheadBlocks > 64) {
                throw new IllegalArgumentException("readAheadBlocks must be between 0 and 64");
            }
            if (maxReadBytes < 0 || maxReadBytes > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("maxReadBytes must be between 0 and 2 GiB");
            }
            if (maxListEntries < 1) {
                throw new IllegalArgumentException("maxListEntries must be positive");
            }
        }

        /**
         * 5 s metadata, 32 KiB blocks, 64 MiB of block cache, read-ahead up to 64 blocks (2 MiB),
         * 256 MiB reads, 1M entries. Small blocks keep a random frame at about its GOP's bytes (the
         * read-ahead window opens only on sequential reads); the large window keeps sequential
         * scans at few GETs (measured: docs/performance.md, "Stores in object storage").
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), 100_000, 32 * 1024, 64L << 20, 64, 256L << 20, 1_000_000);
        }

        public Options withMetadataTtl(Duration v) {
            return new Options(v, metadataEntries, blockSize, blockCacheBytes, readAheadBlocks, maxReadBytes, maxListEntries);
        }

        public Options withBlockSize(int v) {
            return new Options(metadataTtl, metadataEntries, v, blockCacheBytes, readAheadBlocks, maxReadBytes, maxListEntries);
        }

        public Options withBlockCacheBytes(long v) {
            return new Options(metadataTtl, metadataEntries, blockSize, v, readAheadBlocks, maxReadBytes, maxListEntries);
        }

        public Options withReadAheadBlocks(int v) {
            return new Options(metadataTtl, metadataEntries, blockSize, blockCacheBytes, v, maxReadBytes, maxListEntries);
        }

        public Options withMaxReadBytes(long v) {
            return new Options(metadataTtl, metadataEntries, blockSize, blockCacheBytes, readAheadBlocks, v, maxListEntries);
        }

        public Options withMaxListEntries(int v) {
            return new Options(metadataTtl, metadataEntries, blockSize, blockCacheBytes, readAheadBlocks, maxReadBytes, v);
        }
    }

    /** What a HEAD (or a listing) said about a key. */
    private record Meta(boolean exists, long size, FileTime lastModified, String etag) {
    }

    private record BlockKey(String key, String etag, long index) {
    }

    private static final Meta ABSENT = new Meta(false, -1, null, null);
    private static final int LIST_PAGE = 1000;

    private final S3Client client;
    private final S3Location location;
    private final Path anchor;
    private final Options options;
    private final Cache<String, Meta> meta;
    private final Cache<String, Boolean> folders;
    private final Cache<BlockKey, byte[]> blocks;
    private final LongAdder gets = new LongAdder();
    private final LongAdder heads = new LongAdder();
    private final LongAdder lists = new LongAdder();
    private final LongAdder bytesFetched = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();

    public S3StoreFiles(S3Client client, S3Location location) {
        this(client, location, Options.defaults());
    }

    public S3StoreFiles(S3Client client, S3Location location, Options options) {
        this.client = Objects.requireNonNull(client, "client");
        this.location = Objects.requireNonNull(location, "location");
        this.options = Objects.requireNonNull(options, "options");
        this.anchor = location.anchor();
        // maintenance (eviction) on the calling thread: the bound holds when a put returns
        this.meta = Caffeine.newBuilder().executor(Runnable::run).expireAfterWrite(options.metadataTtl())
                .maximumSize(options.metadataEntries()).build();
        this.folders = Caffeine.newBuilder().executor(Runnable::run).expireAfterWrite(options.metadataTtl())
                .maximumSize(options.metadataEntries()).build();
        this.blocks = Caffeine.newBuilder().executor(Runnable::run).maximumWeight(options.blockCacheBytes())
                .weigher((BlockKey k, byte[] v) -> v.length + 64 + 2 * k.key().length()).build();
    }

    /** The synthetic absolute path that stands for the store root ({@code /s3/<bucket>/<prefix>}). */
    public Path anchor() {
        return anchor;
    }

    public S3Location location() {
        return location;
    }

    public Options options() {
        return options;
    }

    /** The requests and bytes so far. */
    public S3Stats stats() {
        return new S3Stats(gets.sum(), heads.sum(), lists.sum(), bytesFetched.sum(), cacheHits.sum(), cacheMisses.sum());
    }

    /** The weight of the blocks cached now (their bytes and a small overhead per block). */
    public long cachedBlockBytes() {
        blocks.cleanUp();
        return blocks.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** Forgets all remembered metadata (after writing through another client, for example). */
    public void invalidateMetadata() {
        meta.invalidateAll();
        folders.invalidateAll();
    }

    /**
     * The object key of a path (the store's prefix for the anchor itself).
     *
     * @throws FileSystemException when the path does not normalize to the anchor or below it, or
     *         makes an invalid key
     */
    public String key(Path file) throws FileSystemException {
        Objects.requireNonNull(file, "file");
        Path n = file.normalize();
        if (!n.isAbsolute() || !n.startsWith(anchor)) {
            throw new FileSystemException(S3Location.printable(file.toString()), null, "outside the root " + location);
        }
        if (n.equals(anchor)) {
            return location.prefix();
        }
        StringBuilder rel = new StringBuilder();
        for (Path name : anchor.relativize(n)) {
            if (!rel.isEmpty()) {
                rel.append('/');
            }
            rel.append(name);
        }
        try {
            return location.key(rel.toString());
        } catch (IllegalArgumentException e) {
            throw new FileSystemException(S3Location.printable(file.toString()), null, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ whole objects

    @Override
    public byte[] read(Path file) throws IOException {
        String key = objectKey(file);
        try (ResponseInputStream<GetObjectResponse> in = get(file, key, null)) {
            long length = lengthWithinLimit(file, in);
            byte[] bytes = in.readNBytes((int) length);
            bytesFetched.add(bytes.length);
            if (bytes.length != length) {
                throw new EOFException(file + ": object ended after " + bytes.length + " of " + length + " bytes");
            }
            return bytes;
        }
    }

    @Override
    public String readString(Path file) throws IOException {
        // strict like Files.readString: malformed UTF-8 is an error, not replaced
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(read(file))).toString();
    }

    @Override
    public Reader newReader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(newInputStream(file), StandardCharsets.UTF_8.newDecoder()));
    }

    @Override
    public InputStream newInputStream(Path file) throws IOException {
        String key = objectKey(file);
        ResponseInputStream<GetObjectResponse> body = get(file, key, null);
        try {
            lengthWithinLimit(file, body);
        } catch (IOException e) {
            body.close();
            throw e;
        }
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesFetched.increment();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    bytesFetched.add(n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                // not drained: abort what is left of the body instead of reading it
                body.abort();
                super.close();
            }
        };
    }

    private long lengthWithinLimit(Path file, ResponseInputStream<GetObjectResponse> in) throws IOException {
        Long length = in.response().contentLength();
        if (length == null || length < 0) {
            in.abort();
            throw new IOException(file + ": the server sent no Content-Length");
        }
        if (length > options.maxReadBytes()) {
            in.abort();
            throw new S3ObjectTooLargeException(file.toString(), length, options.maxReadBytes());
        }
        return length;
    }

    private ResponseInputStream<GetObjectResponse> get(Path file, String key, GetObjectRequest request)
            throws IOException {
        GetObjectRequest r = request != null ? request
                : GetObjectRequest.builder().bucket(location.bucket()).key(key).build();
        gets.increment();
        try {
            return client.getObject(r);
        } catch (SdkException e) {
            throw mapped(file, "GET", e);
        }
    }

    // ------------------------------------------------------------------ metadata

    @Override
    public boolean isFile(Path file) {
        try {
            String key = key(file);
            return !key.isEmpty() && head(file, key).exists();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean exists(Path file) {
        try {
            String key = key(file);
            return (!key.isEmpty() && head(file, key).exists()) || folderExists(file, key);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public long size(Path file) throws IOException {
        return present(file).size();
    }

    @Override
    public FileTime lastModified(Path file) throws IOException {
        return present(file).lastModified();
    }

    @Override
    public Path realPath(Path file) throws IOException {
        // S3 has no links: the normalized path, once we know it exists (as Path.toRealPath)
        key(file); // inside the root, a valid key
        if (!exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return file.normalize();
    }

    private String objectKey(Path file) throws IOException {
        String key = key(file);
        if (key.isEmpty()) {
            throw new FileSystemException(file.toString(), null, "is the bucket itself, not an object");
        }
        return key;
    }

    private Meta present(Path file) throws IOException {
        Meta m = head(file, objectKey(file));
        if (!m.exists()) {
            throw new NoSuchFileException(file.toString());
        }
        return m;
    }

    private Meta head(Path file, String key) throws IOException {
        Meta m = meta.getIfPresent(key);
        if (m != null) {
            return m;
        }
        heads.increment();
        try {
            HeadObjectResponse r = client.headObject(b -> b.bucket(location.bucket()).key(key));
            m = new Meta(true, r.contentLength(), seconds(r.lastModified()), r.eTag());
        } catch (NoSuchKeyException e) {
            m = ABSENT;
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw mapped(file, "HEAD", e);
            }
            m = ABSENT;
        } catch (SdkException e) {
            throw mapped(file, "HEAD", e);
        }
        meta.put(key, m);
        return m;
    }

    private boolean folderExists(Path file, String key) throws IOException {
        Boolean known = folders.getIfPresent(key);
        if (known != null) {
            return known;
        }
        String prefix = key.isEmpty() ? "" : key + "/";
        lists.increment();
        boolean exists;
        try {
            ListObjectsV2Response r = client.listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).maxKeys(1));
            exists = r.hasContents() && !r.contents().isEmpty();
        } catch (SdkException e) {
            throw mapped(file, "LIST", e);
        }
        folders.put(key, exists);
        return exists;
    }

    private static FileTime seconds(Instant t) {
        return FileTime.from(t == null ? Instant.EPOCH : t.truncatedTo(ChronoUnit.SECONDS));
    }

    // ------------------------------------------------------------------ listing

    @Override
    public List<Path> list(Path folder) throws IOException {
        String key = key(folder);
        Path dir = folder.normalize();
        String prefix = key.isEmpty() ? "" : key + "/";
        List<Path> out = new ArrayList<>();
        String token = null;
        long seen = 0; // every entry the server sent, kept or not: bounds the walk too
        do {
            ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(location.bucket())
                    .prefix(prefix).delimiter("/").maxKeys(LIST_PAGE);
            if (token != null) {
                req.continuationToken(token);
            }
            lists.increment();
            ListObjectsV2Response r;
            try {
                r = client.listObjectsV2(req.build());
            } catch (SdkException e) {
                throw mapped(folder, "LIST", e);
            }
            int page = r.commonPrefixes().size() + r.contents().size();
            seen += page;
            if (seen > options.maxListEntries()) {
                throw tooMany(folder);
            }
            for (CommonPrefix cp : r.commonPrefixes()) {
                String p = cp.prefix();
                if (p == null || !p.startsWith(prefix) || !p.endsWith("/")) {
                    continue;
                }
                String name = p.substring(prefix.length(), p.length() - 1);
                if (S3Location.validSegment(name)) {
                    out.add(dir.resolve(name));
                    folders.put(prefix + name, true);
                }
            }
            for (S3Object o : r.contents()) {
                String k = o.key();
                if (k == null || !k.startsWith(prefix)) {
                    continue;
                }
                String name = k.substring(prefix.length());
                if (S3Location.validSegment(name)) {
                    out.add(dir.resolve(name));
                    meta.put(k, new Meta(true, o.size() == null ? 0 : o.size(), seconds(o.lastModified()), o.eTag()));
                }
            }
            String next = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            if (next != null && (page == 0 || next.isEmpty() || next.equals(token))) {
                throw new IOException(folder + ": the server's listing does not advance (empty page or repeated token)");
            }
            token = next;
        } while (token != null);
        if (seen == 0 && !dir.equals(anchor)) {
            if (!key.isEmpty() && head(folder, key).exists()) {
                throw new NotDirectoryException(folder.toString());
            }
            throw new NoSuchFileException(folder.toString());
        }
        folders.put(key, seen > 0);
        return out;
    }

    private FileSystemException tooMany(Path folder) {
        return new FileSystemException(folder.toString(), null,
                "more than " + options.maxListEntries() + " entries in the folder");
    }

    // ------------------------------------------------------------------ random access

    @Override
    public SeekableByteChannel newChannel(Path file) throws IOException {
        String key = objectKey(file);
        Meta m = head(file, key);
        if (!m.exists()) {
            throw new NoSuchFileException(file.toString());
        }
        return new RangedChannel(file, key, m.size(), m.etag());
    }

    /** At most this many bytes of blocks a read needs are fetched in one GET (read-ahead comes on top). */
    private static final long MAX_NEEDED_PER_GET = 8L << 20;

    /**
     * One ranged GET of the blocks {@code first..last} of a channel's object (conditional on its
     * ETag); each block is put in the shared cache when there is one.
     */
    private byte[][] fetch(RangedChannel ch, long first, long last) throws IOException {
        int bs = options.blockSize();
        long from = first * bs;
        long to = Math.min(ch.size, (last + 1) * bs); // exclusive
        long expected = to - from;
        GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(location.bucket()).key(ch.key)
                .range("bytes=" + from + "-" + (to - 1));
        if (ch.etag != null) {
            req.ifMatch(ch.etag);
        }
        byte[][] run = new byte[(int) (last - first + 1)][];
        try (ResponseInputStream<GetObjectResponse> in = get(ch.file, ch.key, req.build())) {
            Long length = in.response().contentLength();
            if (length == null || length != expected) {
                in.abort();
                throw new IOException(ch.file + ": asked for " + expected + " bytes at " + from + ", the server sent "
                        + length + " (Range not honoured?)");
            }
            for (long i = first; i <= last; i++) {
                int n = (int) Math.min(bs, ch.size - i * bs);
                byte[] b = in.readNBytes(n);
                bytesFetched.add(b.length);
                if (b.length != n) {
                    throw new EOFException(ch.file + ": range ended early at block " + i);
                }
                if (options.blockCacheBytes() > 0) {
                    blocks.put(new BlockKey(ch.key, ch.etag, i), b);
                }
                run[(int) (i - first)] = b;
            }
        }
        return run;
    }

    /**
     * A read-only channel of ranged GETs; single-threaded use, like FileChannel's position.
     *
     * <p>Read-ahead adapts to the access pattern, as an operating system's page cache does: a read
     * that does not start where the channel's previous read ended (a seek, the first read) fetches
     * only the missing blocks it needs, in one GET, and closes the read-ahead window. While reads
     * continue sequentially, each GET for a missing block also fetches the next {@code window}
     * blocks, and the window goes 0, 1, 2, 4, ... up to {@link Options#readAheadBlocks}: a random
     * frame (a seek, then a GOP's worth of sequential reads) pays about the blocks its GOP touches,
     * a long sequential scan soon reads in large GETs. Without a block cache nothing is read ahead
     * (only this channel would keep it, and only until its next GET). The blocks of the channel's
     * last GET are kept by the channel (at most the needed blocks, bounded to 8 MiB, plus the
     * window), so its own read-ahead survives eviction from a small cache.
     */
    private final class RangedChannel implements SeekableByteChannel {

        private final Path file;
        private final String key;
        private final long size;
        private final String etag;
        private long position;
        private boolean open = true;
        /** Where the previous read ended (-1: no read yet); a read starting elsewhere is random. */
        private long lastEnd = -1;
        /** Blocks the next sequential miss fetches beyond those it needs. */
        private int window;
        /** The blocks of this channel's last GET: block {@code runFirst + i} is {@code run[i]}. */
        private long runFirst = -1;
        private byte[][] run;
        private long currentIndex = -1;
        private byte[] current;

        RangedChannel(Path file, String key, long size, String etag) {
            this.file = file;
            this.key = key;
            this.size = size;
            this.etag = etag;
        }

        @Override
        public synchronized int read(ByteBuffer dst) throws IOException {
            ensureOpen();
            if (position >= size) {
                return -1;
            }
            boolean sequential = position == lastEnd;
            if (!sequential) {
                window = 0; // a seek: no read-ahead until the reads are sequential again
            }
            int bs = options.blockSize();
            long lastNeeded = (Math.min(size, position + dst.remaining()) - 1) / bs;
            int total = 0;
            while (dst.hasRemaining() && position < size) {
                long index = position / bs;
                if (index != currentIndex) {
                    current = block(index, lastNeeded, sequential);
                    currentIndex = index;
                }
                int off = (int) (position - index * bs);
                int n = Math.min(dst.remaining(), current.length - off);
                dst.put(current, off, n);
                position += n;
                total += n;
            }
            lastEnd = position;
            return total;
        }

        /**
         * Block {@code index}: from this channel's last GET, the shared cache, or one ranged GET of
         * it, the following missing blocks up to {@code lastNeeded} (what this read asks for), and,
         * when the read is sequential and there is a cache, the read-ahead window.
         */
        private byte[] block(long index, long lastNeeded, boolean sequential) throws IOException {
            if (run != null && index >= runFirst && index < runFirst + run.length) {
                cacheHits.increment();
                return run[(int) (index - runFirst)];
            }
            byte[] cached = blocks.getIfPresent(new BlockKey(key, etag, index));
            if (cached != null) {
                cacheHits.increment();
                return cached;
            }
            cacheMisses.increment();
            int bs = options.blockSize();
            long lastBlock = (size - 1) / bs;
            long maxNeeded = Math.max(1, MAX_NEEDED_PER_GET / bs);
            long end = index;
            while (end < lastNeeded && end + 1 - index < maxNeeded && missing(end + 1)) {
                end++;
            }
            if (sequential && options.blockCacheBytes() > 0 && end == lastNeeded) {
                for (int i = 0; i < window && end < lastBlock && missing(end + 1); i++) {
                    end++;
                }
                window = Math.min(options.readAheadBlocks(), Math.max(1, 2 * window));
            }
            run = null; // the old run may go before the new one arrives
            run = fetch(this, index, end);
            runFirst = index;
            return run[0];
        }

        private boolean missing(long index) {
            // a quiet look: does not count as a use of the block for the cache's eviction
            return !blocks.asMap().containsKey(new BlockKey(key, etag, index));
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized long position() throws IOException {
            ensureOpen();
            return position;
        }

        @Override
        public synchronized SeekableByteChannel position(long newPosition) throws IOException {
            ensureOpen();
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position");
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            ensureOpen();
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized boolean isOpen() {
            return open;
        }

        @Override
        public synchronized void close() {
            open = false;
            current = null;
            run = null;
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }

    // ------------------------------------------------------------------ errors

    static IOException mapped(Path file, String op, SdkException e) {
        String name = file.toString();
        if (e instanceof NoSuchKeyException) {
            return new NoSuchFileException(name);
        }
        if (e instanceof S3Exception s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            if (status == 404 && !"NoSuchBucket".equals(code)) {
                return new NoSuchFileException(name);
            }
            if (status == 403) {
                AccessDeniedException a = new AccessDeniedException(name, null, "S3 " + op + " refused (403)");
                a.initCause(e);
                return a;
            }
            if (status == 412) {
                return new IOException(name + ": the object changed while it was read (412 on " + op + ")", e);
            }
            return new IOException(name + ": S3 " + op + " failed: " + status + (code == null ? "" : " " + code), e);
        }
        return new IOException(name + ": S3 " + op + " failed: " + e.getMessage(), e);
    }
}
