package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.Frame;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.WriterCrashes;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.S3Proxies;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link SpooledStoreWriter} against a real S3 server (S3Proxy, {@link S3Proxies}): finished chunks
 * appear in the bucket while the store is written, the closed store comes back frame-exact with the
 * Python imgstore layout, a killed writer's spool is recovered and uploaded with every accepted frame
 * once, large chunks go in parts.
 */
class SpooledStoreWriterTest {

    private static final int H = 48;
    private static final int W = 64;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static S3Proxies s3;
    private static S3Client client;

    @TempDir
    Path tmp;

    @BeforeAll
    static void server() throws IOException {
        s3 = S3Proxies.shared();
        client = s3.client();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static String bucket() {
        return s3.createBucket("spool-" + BUCKETS.incrementAndGet());
    }

    private static StoreTransfer transfer(S3Client c) {
        return new StoreTransfer(c, StoreTransfer.Options.defaults());
    }

    private static Image frame(long n, int channels) {
        return Barcode.draw(n, H, W, channels, PixelType.UINT8);
    }

    private static Set<String> keys(String bucket, String prefix) {
        Set<String> out = new TreeSet<>();
        client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                .forEach(o -> out.add(o.key().substring(prefix.length())));
        return out;
    }

    private static byte[] object(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** Pulls the store from the bucket into a fresh folder and returns it. */
    private Path pulled(String bucket, String store) throws IOException {
        Path into = Files.createTempDirectory(tmp, "pulled");
        transfer(client).pull(S3Location.parse("s3://" + bucket + "/" + store), into, null,
                new StoreTransfer.Listener() { });
        return into.resolve(store.substring(store.lastIndexOf('/') + 1));
    }

    /** Every frame of the store: its frame number, which its barcode must show too. */
    private static List<Long> framesByBarcode(Path store) {
        List<Long> numbers = new ArrayList<>();
        try (ImgStore s = ImgStore.open(store)) {
            for (int i = 0; i < s.frameCount(); i++) {
                Frame f = s.getFrameByIndex(i);
                assertThat(Barcode.decode(f.image())).as("frame index %d", i).isEqualTo(Barcode.expected(f.frameNumber()));
                numbers.add(f.frameNumber());
            }
        }
        return numbers;
    }

    /** Every frame of the store read straight from the bucket (S3StoreFiles: ranged GETs), by barcode. */
    private static List<Long> framesFromBucket(String bucket, String store) {
        S3StoreFiles files = new S3StoreFiles(client, S3Location.parse("s3://" + bucket + "/" + store));
        List<Long> numbers = new ArrayList<>();
        try (ImgStore s = ImgStore.open(files.anchor(), files, 1, files.anchor())) {
            for (int i = 0; i < s.frameCount(); i++) {
                Frame f = s.getFrameByIndex(i);
                assertThat(Barcode.decode(f.image())).as("frame index %d from s3", i)
                        .isEqualTo(Barcode.expected(f.frameNumber()));
                numbers.add(f.frameNumber());
            }
        }
        return numbers;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long n = from; n < to; n++) {
            out.add(n);
        }
        return out;
    }

    @Test
    void finishedChunksAreUploadedWhileWritingAndTheClosedStoreIsFrameExact() throws Exception {
        String bucket = bucket();
        Path spool = tmp.resolve("spool/rig1");
        S3Location dest = S3Location.parse("s3://" + bucket + "/lab/rig1");
        StoreSpec spec = StoreSpec.of(StoreFormat.AVC1_MP4, H, W, 3).withChunksize(10);
        try (SpooledStoreWriter sw = SpooledStoreWriter.create(spool, spec, dest, transfer(client), 2)) {
            for (int i = 0; i < 25; i++) {
                sw.writer().addImage(frame(i, 3), i, 1000.0 + i * 0.04);
                sw.writer().addExtraData(Map.of("i", i));
            }
            sw.awaitUploads();
            // chunks 0 and 1 are finished: their data and index are there, chunk 0's extra data (final
            // once chunk 1 is finished: it holds the record of frame 9, added after chunk 0 was
            // finished), metadata.yaml; the open chunk 2 and chunk 1's extra data are not
            assertThat(keys(bucket, "lab/rig1/")).containsExactly("000000.extra.json", "000000.mp4", "000000.npz",
                    "000001.mp4", "000001.npz", "metadata.yaml");
            assertThat(JSON.readTree(object(bucket, "lab/rig1/000000.extra.json"))).hasSize(10);
            assertThat(sw.uploadedFiles()).isEqualTo(6);
            assertThat(sw.failedUploads()).isZero();
            // a reader of the bucket can open the store while it is written: the finished chunks
            assertThat(framesFromBucket(bucket, "lab/rig1")).isEqualTo(range(0, 20));
            assertThat(framesByBarcode(pulled(bucket, "lab/rig1"))).isEqualTo(range(0, 20));
            assertThat(Files.exists(spool.resolve(".lock"))).isTrue();
            for (int i = 25; i < 43; i++) {
                sw.writer().addImage(frame(i, 3), i, 1000.0 + i * 0.04);
                sw.writer().addExtraData(Map.of("i", i));
            }
        }
        // closed: the spool is gone, the bucket has the store as Python imgstore lays it out
        assertThat(spool).doesNotExist();
        Set<String> expected = new TreeSet<>(Set.of("metadata.yaml"));
        for (int c = 0; c < 5; c++) {
            expected.addAll(List.of(String.format("%06d.mp4", c), String.format("%06d.npz", c),
                    String.format("%06d.extra.json", c)));
        }
        assertThat(keys(bucket, "lab/rig1/")).isEqualTo(expected);
        assertThat(framesFromBucket(bucket, "lab/rig1")).isEqualTo(range(0, 43));
        Path back = pulled(bucket, "lab/rig1");
        assertThat(framesByBarcode(back)).isEqualTo(range(0, 43));
        try (ImgStore s = ImgStore.open(back)) {
            assertThat(s.chunks()).containsExactly(0, 1, 2, 3, 4);
            assertThat(s.extraData()).extracting(m -> ((Number) m.get("i")).longValue()).isEqualTo(range(0, 43));
        }
    }

    @Test
    void aDirectoryStoreUploadsItsFrameFilesAndIndexPerChunk() throws Exception {
        String bucket = bucket();
        Path spool = tmp.resolve("spool/png");
        S3Location dest = S3Location.parse("s3://" + bucket + "/png");
        try (SpooledStoreWriter sw = SpooledStoreWriter.create(spool, StoreSpec.of(StoreFormat.PNG, H, W).withChunksize(4),
                dest, transfer(client), 1)) {
            for (int i = 0; i < 9; i++) {
                sw.writer().addImage(frame(i, 1), i, i);
            }
            sw.awaitUploads();
            assertThat(keys(bucket, "png/")).containsExactly("000000/000000.png", "000000/000001.png",
                    "000000/000002.png", "000000/000003.png", "000000/index.npz", "000001/000000.png",
                    "000001/000001.png", "000001/000002.png", "000001/000003.png", "000001/index.npz",
                    "metadata.yaml");
        }
        assertThat(keys(bucket, "png/")).contains("000002/000000.png", "000002/index.npz").hasSize(13);
        assertThat(framesByBarcode(pulled(bucket, "png"))).isEqualTo(range(0, 9));
    }

    static Stream<Arguments> crashFormats() {
        return Stream.of(Arguments.of(StoreFormat.PNG, VideoEncoderSettings.defaults()),
                Arguments.of(StoreFormat.AVC1_MP4, VideoEncoderSettings.defaults().withFragmented(true)),
                Arguments.of(StoreFormat.H264_MKV, VideoEncoderSettings.defaults()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crashFormats")
    void aKilledWritersSpoolIsRecoveredAndUploadedWithEveryAcceptedFrameOnce(StoreFormat format,
            VideoEncoderSettings encoder) throws Exception {
        String bucket = bucket();
        Path spool = tmp.resolve("spool/crashed");
        S3Location dest = S3Location.parse("s3://" + bucket + "/crashed");
        StoreSpec spec = StoreSpec.of(format, H, W).withChunksize(10).withEncoder(encoder);
        SpooledStoreWriter sw = SpooledStoreWriter.create(spool, spec, dest, transfer(client), 4);
        for (int i = 0; i < 37; i++) {
            sw.writer().addImage(frame(i, 1), i, i);
        }
        sw.writer().sync();
        sw.awaitUploads();
        // kill -9: the uploader stops, the writer's files stay as they are (.lock, journal of chunk 3)
        sw.abandonUploads();
        WriterCrashes.abandon(sw.writer());
        assertThat(spool.resolve(".lock")).exists();
        Set<String> before = keys(bucket, "crashed/");
        assertThat(before).contains("metadata.yaml").noneMatch(k -> k.startsWith("000003"));

        StoreTransfer.Result r = SpooledStoreWriter.finish(spool, dest, transfer(client));
        assertThat(spool).doesNotExist();
        assertThat(r.copied()).as("only the recovered chunk is uploaded: %s", r).isLessThanOrEqualTo(
                format.video() ? 2 : 8);
        List<Long> numbers = framesByBarcode(pulled(bucket, "crashed"));
        assertThat(framesFromBucket(bucket, "crashed")).isEqualTo(numbers);
        // every frame of the finished chunks, the recovered part of the open one, each once and in order
        assertThat(numbers).startsWith(range(0, 30).toArray(Long[]::new));
        assertThat(new HashSet<>(numbers)).hasSameSizeAs(numbers);
        assertThat(numbers).isSorted().allMatch(n -> n < 37);
        if (!format.video()) {
            assertThat(numbers).isEqualTo(range(0, 37)); // frame files: nothing is lost
        } else {
            assertThat(numbers.size()).as("frames of the killed chunk kept").isGreaterThan(30);
        }
    }

    @Test
    void aRecoveredSpoolCanBeContinuedAndClosed() throws Exception {
        String bucket = bucket();
        Path spool = tmp.resolve("spool/again");
        S3Location dest = S3Location.parse("s3://" + bucket + "/again");
        StoreSpec spec = StoreSpec.of(StoreFormat.PNG, H, W).withChunksize(5);
        // the crashed writer uploads the metadata and chunk 0; every later upload fails before it is sent,
        // so the crash leaves finished chunks the bucket never got, and no upload cut off halfway (S3Proxy's
        // filesystem backend answered listings of the prefix with 500 twice in CI after the uploader was
        // interrupted mid-request; S3 itself never shows a partial object)
        S3Client crashing = intercept(client, (name, args) -> {
            if (args.length > 0 && args[0] instanceof PutObjectRequest put && !put.key().endsWith("metadata.yaml")
                    && !put.key().startsWith("again/000000/")) {
                throw software.amazon.awssdk.core.exception.SdkClientException.create("connection refused (test)");
            }
        });
        SpooledStoreWriter sw = SpooledStoreWriter.create(spool, spec, dest, transfer(crashing), 4);
        for (int i = 0; i < 12; i++) {
            sw.writer().addImage(frame(i, 1), i, i);
        }
        sw.awaitUploads();
        assertThat(keys(bucket, "again/")).contains("metadata.yaml", "000000/index.npz")
                .noneMatch(k -> k.startsWith("000001/"));
        sw.abandonUploads(); // the crash: resume must send the finished chunk 1 and recover chunk 2
        WriterCrashes.abandon(sw.writer());

        try (SpooledStoreWriter again = SpooledStoreWriter.resume(spool, dest, transfer(client), 4)) {
            again.awaitUploads();
            assertThat(keys(bucket, "again/")).contains("metadata.yaml", "000000/index.npz", "000001/index.npz",
                    "000002/index.npz");
            for (int i = 100; i < 108; i++) {
                again.writer().addImage(frame(i, 1), i, i);
            }
        }
        assertThat(spool).doesNotExist();
        List<Long> expected = range(0, 12);
        expected.addAll(range(100, 108));
        assertThat(framesByBarcode(pulled(bucket, "again"))).isEqualTo(expected);
    }

    @Test
    void aFailedUploadKeepsTheSpoolAndFinishCompletesIt() throws Exception {
        String bucket = bucket();
        Path spool = tmp.resolve("spool/later");
        S3Location dest = S3Location.parse("s3://" + bucket + "/later");
        S3Client down = intercept(client, (name, args) -> {
            if (name.startsWith("put") || name.startsWith("createMultipart") || name.startsWith("uploadPart")) {
                throw software.amazon.awssdk.core.exception.SdkClientException.create("connection refused (test)");
            }
        });
        SpooledStoreWriter sw = SpooledStoreWriter.create(spool, StoreSpec.of(StoreFormat.PNG, H, W).withChunksize(3),
                dest, transfer(down), 1);
        for (int i = 0; i < 7; i++) {
            sw.writer().addImage(frame(i, 1), i, i);
        }
        sw.awaitUploads();
        assertThat(sw.failedUploads()).isPositive();
        assertThatThrownBy(sw::close).isInstanceOf(ImgStoreException.class)
                .hasMessageContaining("spool folder").hasMessageContaining("kept");
        assertThat(spool.resolve("metadata.yaml")).exists();
        assertThat(keys(bucket, "later/")).isEmpty();

        SpooledStoreWriter.finish(spool, dest, transfer(client));
        assertThat(spool).doesNotExist();
        assertThat(framesByBarcode(pulled(bucket, "later"))).isEqualTo(range(0, 7));
    }

    @Test
    void aSpoolFolderThatNeverBecameAStoreIsRemovedOnlyWhenEmpty() throws Exception {
        S3Location dest = S3Location.parse("s3://" + bucket() + "/x");
        Path lockOnly = Files.createDirectories(tmp.resolve("spool/lockonly"));
        Files.writeString(lockOnly.resolve(".lock"), "");
        assertThat(SpooledStoreWriter.finish(lockOnly, dest, transfer(client)).files()).isZero();
        assertThat(lockOnly).doesNotExist();

        Path other = Files.createDirectories(tmp.resolve("spool/other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> SpooledStoreWriter.finish(other, dest, transfer(client)))
                .isInstanceOf(ImgStoreException.class).hasMessageContaining("left as it is");
        assertThat(other.resolve("notes.txt")).exists();
    }

    @Test
    void aChunkAboveTheThresholdGoesInParts() throws Exception {
        String bucket = bucket();
        Path spool = tmp.resolve("spool/big");
        S3Location dest = S3Location.parse("s3://" + bucket + "/big");
        AtomicInteger parts = new AtomicInteger();
        S3Client counting = intercept(client, (name, args) -> {
            if (name.equals("uploadPart")) {
                parts.incrementAndGet();
            }
        });
        StoreTransfer t = new StoreTransfer(counting, StoreTransfer.Options.defaults().withMultipart(5L << 20, 5L << 20));
        // MJPEG at its best quality on noise: about 260 kB a frame at 640x480, so a chunk of 24 is over 5 MiB
        int h = 480;
        int w = 640;
        StoreSpec spec = StoreSpec.of(StoreFormat.MJPEG_AVI, h, w, 3).withChunksize(24)
                .withEncoder(VideoEncoderSettings.mjpegDefaults().withQuality(2));
        Random random = new Random(5);
        String sha;
        try (SpooledStoreWriter sw = SpooledStoreWriter.create(spool, spec, dest, t, 1)) {
            for (int i = 0; i < 25; i++) {
                byte[] px = new byte[h * w * 3];
                random.nextBytes(px);
                sw.writer().addImage(new Image(h, w, 3, PixelType.UINT8, px), i, i);
            }
            sw.awaitUploads();
            Path chunk = spool.resolve("000000.avi");
            assertThat(Files.size(chunk)).isGreaterThan(5L << 20);
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(chunk)));
            assertThat(parts.get()).as("parts of chunk 0").isGreaterThanOrEqualTo(2);
        }
        assertThat(client.headObject(b -> b.bucket(bucket).key("big/000000.avi")).metadata())
                .containsEntry(StoreTransfer.SHA256_METADATA, sha);
        try (ImgStore s = ImgStore.open(pulled(bucket, "big"))) {
            assertThat(s.frameCount()).isEqualTo(25);
        }
    }

    @Test
    void putFileUploadsOnceVerifiedAndRefusesPathsOutsideTheStore() throws Exception {
        String bucket = bucket();
        Path store = Files.createDirectories(tmp.resolve("one/000000"));
        Files.writeString(store.resolve("index.npz"), "not really an index");
        Files.writeString(tmp.resolve("one/metadata.yaml"), "__store: {}\n");
        S3Location dest = S3Location.parse("s3://" + bucket + "/x/one");
        StoreTransfer t = transfer(client);
        assertThat(t.putFile(tmp.resolve("one"), dest, "000000/index.npz")).isEqualTo(StoreTransfer.Action.COPIED);
        assertThat(t.putFile(tmp.resolve("one"), dest, "000000/index.npz")).isEqualTo(StoreTransfer.Action.UNCHANGED);
        Files.writeString(store.resolve("index.npz"), "changed");
        assertThat(t.putFile(tmp.resolve("one"), dest, "000000/index.npz")).isEqualTo(StoreTransfer.Action.COPIED);
        assertThat(new String(object(bucket, "x/one/000000/index.npz"))).isEqualTo("changed");
        assertThat(client.headObject(b -> b.bucket(bucket).key("x/one/000000/index.npz")).metadata())
                .containsEntry(StoreTransfer.SHA256_METADATA,
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("changed".getBytes())));
        for (String hostile : List.of("../one/metadata.yaml", "000000/../../x", "/etc/passwd", "")) {
            assertThatThrownBy(() -> t.putFile(tmp.resolve("one"), dest, hostile)).as(hostile)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        Files.createSymbolicLink(tmp.resolve("one/link"), tmp.resolve("one/metadata.yaml"));
        assertThatThrownBy(() -> t.putFile(tmp.resolve("one"), dest, "link")).isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
        assertThat(keys(bucket, "x/one/")).containsExactly("000000/index.npz");
    }

    interface Before {
        void call(String method, Object[] args);
    }

    /** A client that calls {@code before} with each method's name and arguments (which may throw). */
    private static S3Client intercept(S3Client real, Before before) {
        InvocationHandler h = (proxy, method, args) -> {
            before.call(method.getName(), args == null ? new Object[0] : args);
            try {
                // on the real client: its default methods call its own implementations, not this proxy
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, h);
    }
}
