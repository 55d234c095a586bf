package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.testing.S3Proxies;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link S3StoreFiles} against a real S3 server (S3Proxy, {@link S3Proxies}). */
class S3StoreFilesTest {

    private static final String BUCKET = "files-test";
    private static final int BLOCK = 64 * 1024;
    private static final byte[] BIG = new byte[3_000_000 + 123];
    private static final String TEXT = "hello ü✓\nsecond line\n";

    private static S3Proxies s3;
    private static S3Client client;
    private static S3Location location;

    @BeforeAll
    static void upload() throws Exception {
        s3 = S3Proxies.shared();
        client = s3.client();
        s3.createBucket(BUCKET);
        new Random(42).nextBytes(BIG);
        put("root/store/a.bin", BIG);
        put("root/store/small.txt", TEXT.getBytes(StandardCharsets.UTF_8));
        put("root/store/sub/x.txt", "x".getBytes(StandardCharsets.UTF_8));
        put("root/store/sub/deeper/y.txt", "y".getBytes(StandardCharsets.UTF_8));
        put("root/store/empty.bin", new byte[0]);
        put("root/other.txt", "outside".getBytes(StandardCharsets.UTF_8));
        put("root/store-sibling/z.txt", "z".getBytes(StandardCharsets.UTF_8));
        IntStream.range(0, 1001).parallel().forEach(i -> put("root/store/many/f" + i, new byte[] {(byte) i}));
        location = S3Location.parse("s3://" + BUCKET + "/root/store");
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static void put(String key, byte[] bytes) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    private static S3StoreFiles files(S3StoreFiles.Options options) {
        return new S3StoreFiles(client, location, options);
    }

    private static S3StoreFiles files() {
        return files(S3StoreFiles.Options.defaults().withBlockSize(BLOCK).withBlockCacheBytes(1 << 20)
                .withReadAheadBlocks(2));
    }

    @Test
    void listsFilesAndFoldersOfOneLevel() throws Exception {
        S3StoreFiles f = files();
        Path root = f.anchor();
        assertThat(root).isEqualTo(Path.of("/s3/files-test/root/store"));
        assertThat(f.list(root)).containsExactlyInAnyOrder(root.resolve("a.bin"), root.resolve("small.txt"),
                root.resolve("empty.bin"), root.resolve("sub"), root.resolve("many"));
        assertThat(f.list(root.resolve("sub"))).containsExactlyInAnyOrder(root.resolve("sub/x.txt"),
                root.resolve("sub/deeper"));
        // through a non-normalized path that stays inside
        assertThat(f.list(root.resolve("sub/deeper/..")))
                .containsExactlyInAnyOrder(root.resolve("sub/x.txt"), root.resolve("sub/deeper"));
    }

    @Test
    void listingIsPaginatedAndBounded() throws Exception {
        S3StoreFiles f = files();
        S3Stats before = f.stats();
        List<Path> many = f.list(f.anchor().resolve("many"));
        assertThat(many).hasSize(1001).doesNotHaveDuplicates();
        assertThat(f.stats().minus(before).lists()).isEqualTo(2); // pages of 1000
        // the listing filled the metadata cache: sizes cost no HEAD
        S3Stats afterList = f.stats();
        assertThat(f.size(many.get(0))).isEqualTo(1);
        assertThat(f.stats().minus(afterList).heads()).isZero();

        S3StoreFiles bounded = files(S3StoreFiles.Options.defaults().withMaxListEntries(1000));
        assertThatThrownBy(() -> bounded.list(bounded.anchor().resolve("many")))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("more than 1000 entries");
    }

    @Test
    void readsWholeObjects() throws Exception {
        S3StoreFiles f = files();
        Path root = f.anchor();
        assertThat(f.read(root.resolve("a.bin"))).isEqualTo(BIG);
        assertThat(f.readString(root.resolve("small.txt"))).isEqualTo(TEXT);
        try (Reader r = f.newReader(root.resolve("small.txt"))) {
            char[] buf = new char[100];
            int n = r.read(buf);
            assertThat(new String(buf, 0, n)).isEqualTo(TEXT);
        }
        try (InputStream in = f.newInputStream(root.resolve("a.bin"))) {
            assertThat(in.readAllBytes()).isEqualTo(BIG);
        }
        assertThat(f.read(root.resolve("empty.bin"))).isEmpty();
        S3Stats s = f.stats();
        assertThat(s.gets()).isEqualTo(5);
        assertThat(s.bytesFetched()).isEqualTo(2L * BIG.length + 2L * TEXT.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void metadataByHeadAndRemembered() throws Exception {
        S3StoreFiles f = files();
        Path root = f.anchor();
        Instant before = Instant.now().plusSeconds(1);
        assertThat(f.size(root.resolve("a.bin"))).isEqualTo(BIG.length);
        assertThat(f.lastModified(root.resolve("a.bin")).toInstant()).isBefore(before)
                .isAfter(Instant.now().minus(Duration.ofHours(1)));
        assertThat(f.isFile(root.resolve("a.bin"))).isTrue();
        assertThat(f.exists(root.resolve("a.bin"))).isTrue();
        assertThat(f.stats().heads()).isEqualTo(1); // one HEAD, then the cache

        assertThat(f.isFile(root.resolve("sub"))).isFalse();
        assertThat(f.exists(root.resolve("sub"))).isTrue();
        assertThat(f.exists(root.resolve("sub/deeper"))).isTrue();
        assertThat(f.exists(root)).isTrue();
        assertThat(f.exists(root.resolve("nothing"))).isFalse();
        assertThat(f.isFile(root.resolve("nothing"))).isFalse();
        assertThat(f.realPath(root.resolve("sub/../a.bin"))).isEqualTo(root.resolve("a.bin"));

        S3StoreFiles uncached = files(S3StoreFiles.Options.defaults().withMetadataTtl(Duration.ZERO));
        uncached.size(root.resolve("a.bin"));
        uncached.size(root.resolve("a.bin"));
        assertThat(uncached.stats().heads()).isEqualTo(2);
    }

    @Test
    void absentObjectsAreNoSuchFile() {
        S3StoreFiles f = files();
        Path absent = f.anchor().resolve("absent.bin");
        assertThatThrownBy(() -> f.read(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.readString(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.newInputStream(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.newChannel(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.size(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.lastModified(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.realPath(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.list(f.anchor().resolve("no-folder"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.list(f.anchor().resolve("a.bin"))).isInstanceOf(NotDirectoryException.class);
    }

    @Test
    void modificationTimesAgreeBetweenListingAndHead() throws Exception {
        S3StoreFiles listed = files();
        listed.list(listed.anchor());
        S3StoreFiles headed = files();
        for (String name : List.of("a.bin", "small.txt", "empty.bin")) {
            Path p = listed.anchor().resolve(name);
            assertThat(listed.lastModified(p)).as(name).isEqualTo(headed.lastModified(p));
        }
        assertThat(listed.stats().heads()).isZero();
        assertThat(headed.stats().heads()).isEqualTo(3);
    }

    @Test
    void anObjectReplacedWhileAChannelReadsItFailsInsteadOfMixingVersions() throws Exception {
        byte[] v1 = new byte[4 * BLOCK];
        byte[] v2 = new byte[4 * BLOCK];
        Arrays.fill(v1, (byte) 1);
        Arrays.fill(v2, (byte) 2);
        put("root/mutable/chunk.bin", v1);
        S3StoreFiles f = new S3StoreFiles(client, S3Location.parse("s3://" + BUCKET + "/root/mutable"),
                S3StoreFiles.Options.defaults().withBlockSize(BLOCK).withReadAheadBlocks(0));
        try (SeekableByteChannel ch = f.newChannel(f.anchor().resolve("chunk.bin"))) {
            ByteBuffer one = ByteBuffer.allocate(10);
            ch.read(one);
            assertThat(one.array()[0]).isEqualTo((byte) 1);
            put("root/mutable/chunk.bin", v2);
            ch.position(3L * BLOCK);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(10)))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("changed while it was read");
        }
        // a new channel (after the metadata expired or was forgotten) reads the new version
        f.invalidateMetadata();
        try (SeekableByteChannel ch = f.newChannel(f.anchor().resolve("chunk.bin"))) {
            ByteBuffer buf = ByteBuffer.allocate(10);
            ch.position(3L * BLOCK).read(buf);
            assertThat(buf.array()[0]).isEqualTo((byte) 2);
        }
    }

    @Test
    void pathsOutsideTheAnchorAreRefusedWithoutARequest() {
        S3StoreFiles f = files();
        Path root = f.anchor();
        List<Path> outside = List.of(root.resolve("../other.txt"), root.resolve("sub/../../other.txt"),
                Path.of("/etc/passwd"), Path.of("a.bin"), root.getParent().resolve("store-sibling/z.txt"),
                Path.of("/s3/files-test/root/store-sibling/z.txt"), Path.of("/s3/other-bucket/root/store/a.bin"));
        for (Path p : outside) {
            assertThatThrownBy(() -> f.read(p)).as(p.toString())
                    .isInstanceOf(FileSystemException.class).hasMessageContaining("outside the root");
            assertThatThrownBy(() -> f.newChannel(p)).isInstanceOf(FileSystemException.class);
            assertThatThrownBy(() -> f.list(p)).isInstanceOf(FileSystemException.class);
            assertThatThrownBy(() -> f.size(p)).isInstanceOf(FileSystemException.class);
            assertThat(f.exists(p)).isFalse();
            assertThat(f.isFile(p)).isFalse();
        }
        assertThat(f.stats().requests()).isZero();
    }

    @Test
    void objectsAboveTheLimitAreRefusedBeforeDownloading() {
        S3StoreFiles f = files(S3StoreFiles.Options.defaults().withMaxReadBytes(1 << 20));
        Path big = f.anchor().resolve("a.bin");
        assertThatThrownBy(() -> f.read(big)).isInstanceOf(S3ObjectTooLargeException.class)
                .hasMessageContaining(BIG.length + " bytes, above the limit of 1048576");
        assertThatThrownBy(() -> f.newInputStream(big)).isInstanceOf(S3ObjectTooLargeException.class);
        assertThatThrownBy(() -> f.readString(big)).isInstanceOf(S3ObjectTooLargeException.class);
        assertThat(f.stats().bytesFetched()).isZero();
    }

    @Test
    void channelReadsAtRandomPositionsMatchTheObject() throws Exception {
        S3StoreFiles f = files();
        Random r = new Random(7);
        try (SeekableByteChannel ch = f.newChannel(f.anchor().resolve("a.bin"))) {
            assertThat(ch.size()).isEqualTo(BIG.length);
            for (int i = 0; i < 300; i++) {
                // two reads in three seek, the others continue where the last one ended (read-ahead)
                int pos = i % 3 == 2 ? (int) Math.min(ch.position(), BIG.length) : r.nextInt(BIG.length + 10);
                int len = 1 + r.nextInt(i % 10 == 0 ? 300_000 : 5000);
                ByteBuffer buf = ByteBuffer.allocate(len);
                ch.position(pos);
                int n = ch.read(buf);
                if (pos >= BIG.length) {
                    assertThat(n).isEqualTo(-1);
                    continue;
                }
                int expected = Math.min(len, BIG.length - pos);
                assertThat(n).isEqualTo(expected);
                assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(Arrays.copyOfRange(BIG, pos, pos + n));
                assertThat(ch.position()).isEqualTo(pos + n);
            }
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ch.truncate(0)).isInstanceOf(NonWritableChannelException.class);
        }
        try (SeekableByteChannel ch = f.newChannel(f.anchor().resolve("empty.bin"))) {
            assertThat(ch.size()).isZero();
            assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
        // the block cache stays within its bound
        assertThat(f.cachedBlockBytes()).isPositive().isLessThanOrEqualTo(1 << 20);
    }

    @Test
    void aRandomReadCostsTheBlocksItTouchesAndTheCacheServesRepeats() throws Exception {
        S3StoreFiles f = files();
        Path file = f.anchor().resolve("a.bin");
        try (SeekableByteChannel ch = f.newChannel(file)) {
            S3Stats start = f.stats();
            ch.position(10 * BLOCK + 100).read(ByteBuffer.allocate(1000));
            S3Stats one = f.stats().minus(start);
            assertThat(one.gets()).isEqualTo(1);
            assertThat(one.bytesFetched()).isEqualTo(BLOCK);
            assertThat(one.cacheMisses()).isEqualTo(1);

            // a read (after a seek) across a block boundary costs the next block only: no read-ahead
            ch.position(11 * BLOCK - 10).read(ByteBuffer.allocate(20));
            S3Stats two = f.stats().minus(start);
            assertThat(two.gets()).isEqualTo(2);
            assertThat(two.bytesFetched()).isEqualTo(2L * BLOCK);
        }
        // another channel on the same object: served from the shared cache, no request
        try (SeekableByteChannel ch = f.newChannel(file)) {
            S3Stats before = f.stats();
            ByteBuffer buf = ByteBuffer.allocate(2 * BLOCK);
            ch.position(10 * BLOCK).read(buf);
            S3Stats again = f.stats().minus(before);
            assertThat(again.gets()).isZero();
            assertThat(again.bytesFetched()).isZero();
            assertThat(again.cacheHits()).isEqualTo(2);
            assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(BIG, 10 * BLOCK, 12 * BLOCK));
        }
        // the last, short block
        try (SeekableByteChannel ch = f.newChannel(file)) {
            S3Stats before = f.stats();
            ByteBuffer buf = ByteBuffer.allocate(50);
            ch.position(BIG.length - 50).read(buf);
            assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(BIG, BIG.length - 50, BIG.length));
            assertThat(f.stats().minus(before).bytesFetched()).isEqualTo(BIG.length % BLOCK);
        }
    }

    /** Reads {@code len} bytes at the channel's position in reads of {@code piece}; the sizes of the GETs made. */
    private static List<Long> readInPieces(S3StoreFiles f, SeekableByteChannel ch, long len, int piece)
            throws Exception {
        List<Long> gets = new java.util.ArrayList<>();
        long start = ch.position();
        ByteBuffer buf = ByteBuffer.allocate(piece);
        while (ch.position() < start + len) {
            long pos = ch.position();
            S3Stats before = f.stats();
            buf.clear().limit((int) Math.min(piece, start + len - pos));
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(Arrays.copyOfRange(BIG, (int) pos, (int) pos + n));
            S3Stats cost = f.stats().minus(before);
            assertThat(cost.gets()).isLessThanOrEqualTo(1);
            if (cost.gets() == 1) {
                gets.add(cost.bytesFetched());
            }
        }
        return gets;
    }

    @Test
    void readAheadIsAdaptiveNoneForRandomReadsAGrowingWindowForSequentialOnes() throws Exception {
        S3StoreFiles f = files(S3StoreFiles.Options.defaults().withBlockSize(BLOCK).withBlockCacheBytes(64 << 20)
                .withReadAheadBlocks(8));
        Path file = f.anchor().resolve("a.bin");
        long blocks = (BIG.length + BLOCK - 1) / BLOCK;
        try (SeekableByteChannel ch = f.newChannel(file)) {
            // random reads (each at a block far from the last read): one block each, nothing ahead
            S3Stats before = f.stats();
            for (int b : new int[] {40, 31, 44, 35, 38}) {
                ch.position((long) b * BLOCK + 777);
                assertThat(readInPieces(f, ch, 1000, 1000)).containsExactly((long) BLOCK);
            }
            assertThat(f.stats().minus(before).gets()).isEqualTo(5);

            // a sequential scan in FFmpeg's 32 KiB reads from block 0: GETs of 1 block, then the
            // window doubles (0, 1, 2, 4, 8 blocks ahead) up to readAheadBlocks (8)
            ch.position(0);
            List<Long> scan = readInPieces(f, ch, 29L * BLOCK, 32 * 1024);
            // (blocks 0..29 in 7 GETs instead of 29)
            assertThat(scan).containsExactly(1L * BLOCK, 1L * BLOCK, 2L * BLOCK, 3L * BLOCK, 5L * BLOCK, 9L * BLOCK,
                    9L * BLOCK);

            // a seek closes the window: the next read costs its block alone, then the window opens
            // again; a GET stops before a block the cache holds (35, from a random read above)
            ch.position(33L * BLOCK + 5);
            List<Long> after = readInPieces(f, ch, 4L * BLOCK, 32 * 1024);
            assertThat(after).containsExactly(1L * BLOCK, 1L * BLOCK, 2L * BLOCK);
        }
        // a whole sequential read costs few GETs and no byte twice
        S3StoreFiles g = files(S3StoreFiles.Options.defaults().withBlockSize(BLOCK).withBlockCacheBytes(64 << 20)
                .withReadAheadBlocks(8));
        try (SeekableByteChannel ch = g.newChannel(file)) {
            List<Long> all = readInPieces(g, ch, BIG.length, 32 * 1024);
            assertThat(all.stream().mapToLong(Long::longValue).sum()).isEqualTo(BIG.length);
            assertThat((long) all.size()).isLessThan(blocks / 4);
        }
    }

    @Test
    void withoutACacheNothingIsReadAheadAndOneReadsBlocksComeInOneGet() throws Exception {
        S3StoreFiles f = files(S3StoreFiles.Options.defaults().withBlockSize(BLOCK).withBlockCacheBytes(0)
                .withReadAheadBlocks(8));
        try (SeekableByteChannel ch = f.newChannel(f.anchor().resolve("a.bin"))) {
            // sequential in 32 KiB reads: one GET per block, exactly the object's bytes
            List<Long> gets = readInPieces(f, ch, BIG.length, 32 * 1024);
            assertThat(gets).hasSize((BIG.length + BLOCK - 1) / BLOCK);
            assertThat(gets.subList(0, gets.size() - 1)).containsOnly((long) BLOCK);
            assertThat(f.stats().bytesFetched()).isEqualTo(BIG.length);

            // one read that needs three missing blocks: one GET of exactly those
            ch.position(5L * BLOCK + 10);
            assertThat(readInPieces(f, ch, 2L * BLOCK + 100, 3 * BLOCK)).containsExactly(3L * BLOCK);
            assertThat(f.cachedBlockBytes()).isZero();
        }
    }

    @Test
    void withoutACacheEachChannelKeepsItsCurrentBlock() throws Exception {
        S3StoreFiles f = files(S3StoreFiles.Options.defaults().withBlockSize(BLOCK).withBlockCacheBytes(0)
                .withReadAheadBlocks(0));
        try (SeekableByteChannel ch = f.newChannel(f.anchor().resolve("a.bin"))) {
            ByteBuffer small = ByteBuffer.allocate(100);
            for (int i = 0; i < 50; i++) {
                small.clear();
                ch.read(small);
            }
            assertThat(f.stats().gets()).isEqualTo(1);
            assertThat(f.cachedBlockBytes()).isZero();
        }
    }

    @Test
    void standardSdkConfigurationReachesTheServer() throws Exception {
        // the SDK's system-property twins of AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION,
        // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by the SDK itself
        for (String endpointProperty : List.of("aws.endpointUrlS3", "aws.endpointUrl")) {
            System.setProperty(endpointProperty, s3.endpoint().toString());
            System.setProperty("aws.region", "eu-central-1");
            System.setProperty("aws.accessKeyId", s3.accessKey());
            System.setProperty("aws.secretAccessKey", s3.secretKey());
            System.setProperty(S3Clients.PATH_STYLE_PROPERTY, "true");
            try (S3Client c = S3Clients.fromEnvironment()) {
                S3StoreFiles f = new S3StoreFiles(c, location);
                assertThat(f.readString(f.anchor().resolve("small.txt"))).isEqualTo(TEXT);
            } finally {
                for (String p : List.of(endpointProperty, "aws.region", "aws.accessKeyId", "aws.secretAccessKey",
                        S3Clients.PATH_STYLE_PROPERTY)) {
                    System.clearProperty(p);
                }
            }
        }
    }
}
