package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.cli.CliTest.Run;
import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.StoreTransfer;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import io.imgstore.testing.S3Proxies;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code imgstore push} and {@code imgstore pull} (and {@link StoreTransfer} under them) against a
 * real S3 server (S3Proxy, {@link S3Proxies}); the CLI gets the server through the SDK's standard
 * configuration (system properties here, environment variables in real use).
 */
class PushPullTest {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3Proxies s3;
    private static S3Client client;

    @TempDir
    Path tmp;

    @BeforeAll
    static void server() throws IOException {
        s3 = S3Proxies.shared();
        client = s3.client();
        s3.setSdkProperties(true);
    }

    @AfterAll
    static void clear() {
        S3Proxies.clearSdkProperties();
        if (client != null) {
            client.close();
        }
    }

    private static String bucket() {
        return s3.createBucket("push-pull-" + BUCKETS.incrementAndGet());
    }

    private static Run run(String... args) {
        return CliTest.run(args);
    }

    /** Video (mp4, mkv, avi) and directory (png, npy, 16-bit, color) fixture stores. */
    static Stream<Fixtures.Store> stores() {
        List<String> names = List.of("00_avc1-mp4_contiguous", "03_h264-mkv_negative", "06_mjpeg-avi_wrap",
                "09_png_gaps", "10_png-color_wrap", "07_npy_negative", "u16_png");
        return Fixtures.generated().stream().filter(s -> names.contains(s.dir().getFileName().toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void pushThenPullGivesTheSameFilesAndEveryFrame(Fixtures.Store f) throws Exception {
        String bucket = bucket();
        Run push = run("push", f.dir().toString(), "s3://" + bucket + "/lab/rigs", "-q");
        assertThat(push.exit()).as(push.err()).isZero();
        Map<String, byte[]> local = files(f.dir());
        assertThat(push.out()).contains("pushed to s3://" + bucket + "/lab/rigs/" + f.dir().getFileName())
                .contains(local.size() + " files, " + local.size() + " uploaded");
        // every object carries the SHA-256 of the local file
        for (var e : local.entrySet()) {
            HeadObjectResponse h = client.headObject(b -> b.bucket(bucket)
                    .key("lab/rigs/" + f.dir().getFileName() + "/" + e.getKey()));
            assertThat(h.metadata()).containsEntry(StoreTransfer.SHA256_METADATA, sha256(e.getValue()));
            assertThat(h.contentLength()).isEqualTo(e.getValue().length);
        }

        Path into = tmp.resolve("pulled");
        Run pull = run("pull", "s3://" + bucket + "/lab/rigs/" + f.dir().getFileName(), into.toString(), "-q");
        assertThat(pull.exit()).as(pull.err()).isZero();
        Path copy = into.resolve(f.dir().getFileName().toString());
        assertThat(pull.out()).contains("pulled to " + copy).contains(local.size() + " downloaded");
        assertSameFiles(copy, local);
        try (ImgStore s = ImgStore.open(copy)) {
            assertThat(s.frameCount()).isEqualTo(f.frameCount());
            for (long[] fr : f.frameNumbers()) {
                Frame frame = s.getFrameByIndex((int) fr[0]);
                assertThat(frame.frameNumber()).isEqualTo(fr[1]);
                assertThat(Barcode.decode(frame.image())).as("frame index %d", fr[0]).isEqualTo(Barcode.expected(fr[1]));
            }
        }

        // a second pull and a second push find everything in place
        Run again = run("pull", "s3://" + bucket + "/lab/rigs/" + f.dir().getFileName(), into.toString(), "-q");
        assertThat(again.out()).as(again.err()).contains("0 downloaded").contains(local.size() + " unchanged");
        Run pushAgain = run("push", f.dir().toString(), "s3://" + bucket + "/lab/rigs", "-q", "--jobs", "1");
        assertThat(pushAgain.out()).as(pushAgain.err()).contains("0 uploaded").contains(local.size() + " unchanged");
    }

    @Test
    void asNameAndDryRun() throws Exception {
        Path store = writeStore(tmp.resolve("rig1"), 25);
        String bucket = bucket();
        Run dry = run("push", store.toString(), "s3://" + bucket + "/x/", "--as", "night-1", "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would upload metadata.yaml").contains("would upload 000000/000000.png")
                .contains("dry run, nothing pushed to s3://" + bucket + "/x/night-1");
        assertThat(keys(bucket, "")).isEmpty();

        assertThat(run("push", store.toString(), "s3://" + bucket + "/x/", "--as", "night-1", "-q").exit()).isZero();
        assertThat(keys(bucket, "")).contains("x/night-1/metadata.yaml", "x/night-1/000002/index.npz")
                .noneMatch(k -> k.contains("rig1"));
        Run dryPull = run("pull", "s3://" + bucket + "/x/night-1", tmp.resolve("in").toString(), "--dry-run");
        assertThat(dryPull.out()).as(dryPull.err()).contains("would download metadata.yaml");
        assertThat(tmp.resolve("in")).doesNotExist();
        Run pull = run("pull", "s3://" + bucket + "/x/night-1", tmp.resolve("in").toString(), "--as", "copy", "-q");
        assertThat(pull.exit()).as(pull.err()).isZero();
        assertSameFiles(tmp.resolve("in/copy"), files(store));
    }

    @Test
    void resumeUploadsOnlyWhatIsMissingOrDifferent() throws Exception {
        Path store = writeStore(tmp.resolve("rig"), 35);
        String bucket = bucket();
        assertThat(run("push", store.toString(), "s3://" + bucket, "-q").exit()).isZero();
        Map<String, byte[]> local = files(store);
        // an interrupted first push: two objects missing, one with other bytes (and a stale checksum)
        client.deleteObject(b -> b.bucket(bucket).key("rig/000001/000003.png"));
        client.deleteObject(b -> b.bucket(bucket).key("rig/metadata.yaml"));
        client.putObject(b -> b.bucket(bucket).key("rig/000002/index.npz"),
                RequestBody.fromString("truncated", StandardCharsets.UTF_8));

        Recording rec = new Recording(client);
        StoreTransfer.Result r = new StoreTransfer(rec.proxy(), StoreTransfer.Options.defaults())
                .push(store, S3Location.parse("s3://" + bucket), null, new StoreTransfer.Listener() { });
        assertThat(rec.puts).containsExactlyInAnyOrder("rig/000001/000003.png", "rig/000002/index.npz",
                "rig/metadata.yaml");
        assertThat(r.copied()).isEqualTo(3);
        assertThat(r.unchanged()).isEqualTo(local.size() - 3);
        Path into = tmp.resolve("back");
        assertThat(run("pull", "s3://" + bucket + "/rig", into.toString(), "-q").exit()).isZero();
        assertSameFiles(into.resolve("rig"), local);

        // pull resumes too: a deleted and a changed local file come back, nothing else is fetched
        Files.delete(into.resolve("rig/000000/000004.png"));
        // what a pull killed while it wrote 000004.png leaves; the next pull writes over it and moves it in place
        Files.write(into.resolve("rig/000000/.000004.png" + StoreTransfer.PART_SUFFIX), new byte[] {9, 9});
        Files.write(into.resolve("rig/000003/index.npz"), new byte[] {1, 2, 3});
        Run pull = run("pull", "s3://" + bucket + "/rig", into.toString(), "-q", "-j", "1");
        assertThat(pull.out()).as(pull.err()).contains("2 downloaded").contains((local.size() - 2) + " unchanged");
        assertSameFiles(into.resolve("rig"), local);

        // objects the local store does not have are left alone, and said so
        client.putObject(b -> b.bucket(bucket).key("rig/000099/000000.png"), RequestBody.fromString("stale"));
        Run extra = run("push", store.toString(), "s3://" + bucket, "-q");
        assertThat(extra.exit()).isZero();
        assertThat(extra.out()).contains("0 uploaded");
        assertThat(extra.err()).isEqualTo("imgstore push: 1 object(s) under s3://" + bucket
                + "/rig are not in the local store; left in place\n");
        assertThat(keys(bucket, "rig/000099/")).containsExactly("rig/000099/000000.png");
    }

    @Test
    void metadataIsUploadedLastAndDownloadedLast() throws Exception {
        Path store = writeStore(tmp.resolve("order"), 25);
        String bucket = bucket();
        Recording rec = new Recording(client);
        new StoreTransfer(rec.proxy(), StoreTransfer.Options.defaults())
                .push(store, S3Location.parse("s3://" + bucket + "/p"), null, new StoreTransfer.Listener() { });
        assertThat(rec.puts).hasSize(files(store).size());
        assertThat(rec.puts.get(rec.puts.size() - 1)).isEqualTo("p/order/metadata.yaml");
        // with 4 uploads at a time: metadata.yaml starts after every other upload ended, and every
        // index after every frame file ended
        List<String> ev = List.copyOf(rec.events);
        int metadataStart = ev.indexOf("start p/order/metadata.yaml");
        int lastEnd = -1;
        int lastFrameEnd = -1;
        int firstIndexStart = Integer.MAX_VALUE;
        for (int i = 0; i < ev.size(); i++) {
            String e = ev.get(i);
            if (e.startsWith("end ") && !e.endsWith("metadata.yaml")) {
                lastEnd = i;
            }
            if (e.startsWith("end ") && e.endsWith(".png")) {
                lastFrameEnd = i;
            }
            if (e.startsWith("start ") && e.endsWith("index.npz")) {
                firstIndexStart = Math.min(firstIndexStart, i);
            }
        }
        assertThat(metadataStart).isGreaterThan(lastEnd);
        assertThat(firstIndexStart).isGreaterThan(lastFrameEnd).isLessThan(Integer.MAX_VALUE);
        assertThat(ev.stream().filter(e -> e.startsWith("start ")).count()).isEqualTo(files(store).size());

        List<String> order = new ArrayList<>();
        new StoreTransfer(client, StoreTransfer.Options.defaults()).pull(S3Location.parse("s3://" + bucket + "/p/order"),
                tmp.resolve("in"), null, new StoreTransfer.Listener() {
                    @Override
                    public void file(String relative, long size, StoreTransfer.Action action) {
                        assertThat(Files.exists(tmp.resolve("in/order").resolve(relative))).isTrue();
                        assertThat(Files.exists(tmp.resolve("in/order/metadata.yaml")))
                                .isEqualTo(relative.equals("metadata.yaml"));
                        order.add(relative);
                    }
                });
        assertThat(order.get(order.size() - 1)).isEqualTo("metadata.yaml");
    }

    @Test
    void largeFilesGoInPartsAndComeBackIdentical() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("big"));
        byte[] chunk = new byte[12 * 1024 * 1024 + 17];
        new Random(3).nextBytes(chunk);
        Files.write(store.resolve("000000.mp4"), chunk);
        Files.writeString(store.resolve("metadata.yaml"), "__store: {}\n");
        String bucket = bucket();
        Recording rec = new Recording(client);
        StoreTransfer.Options parts = StoreTransfer.Options.defaults().withMultipart(5L << 20, 5L << 20);
        new StoreTransfer(rec.proxy(), parts).push(store, S3Location.parse("s3://" + bucket), null,
                new StoreTransfer.Listener() { });
        assertThat(rec.parts.get()).isEqualTo(3);
        assertThat(rec.puts).containsExactly("big/000000.mp4", "big/metadata.yaml");
        assertThat(client.headObject(b -> b.bucket(bucket).key("big/000000.mp4")).metadata())
                .containsEntry(StoreTransfer.SHA256_METADATA, sha256(chunk));
        new StoreTransfer(client, parts).pull(S3Location.parse("s3://" + bucket + "/big"), tmp.resolve("in"), null,
                new StoreTransfer.Listener() { });
        assertThat(Files.readAllBytes(tmp.resolve("in/big/000000.mp4"))).isEqualTo(chunk);
    }

    @Test
    void aCorruptedObjectFailsThePullAndLeavesNoPartialFile() throws Exception {
        Path store = writeStore(tmp.resolve("rig"), 25);
        String bucket = bucket();
        assertThat(run("push", store.toString(), "s3://" + bucket + "/a", "-q").exit()).isZero();
        String key = "a/rig/000001/000002.png";
        byte[] good = Files.readAllBytes(store.resolve("000001/000002.png"));
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x40;
        Map<String, String> metadata = client.headObject(b -> b.bucket(bucket).key(key)).metadata();
        client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).metadata(metadata).build(),
                RequestBody.fromBytes(bad));

        Path into = tmp.resolve("in");
        Run pull = run("pull", "s3://" + bucket + "/a/rig", into.toString(), "-q");
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).startsWith("imgstore pull: checksum mismatch for " + key);
        assertThat(into.resolve("rig/000001/000002.png")).doesNotExist();
        assertThat(into.resolve("rig/metadata.yaml")).doesNotExist();
        try (Stream<Path> all = Files.walk(into)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("imgstore-pull"));
        }

        // repaired in S3, the next pull completes
        client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).metadata(metadata).build(),
                RequestBody.fromBytes(good));
        assertThat(run("pull", "s3://" + bucket + "/a/rig", into.toString(), "-q").exit()).isZero();
        assertSameFiles(into.resolve("rig"), files(store));
    }

    @Test
    void objectsWithoutChecksumAreRefusedUnlessAllowed() throws Exception {
        String bucket = bucket();
        client.putObject(b -> b.bucket(bucket).key("s/metadata.yaml"), RequestBody.fromString("x: 1\n"));
        Run pull = run("pull", "s3://" + bucket + "/s", tmp.toString(), "-q");
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).contains("s/metadata.yaml carries no imgstore-sha256 checksum");
        assertThat(tmp.resolve("s/metadata.yaml")).doesNotExist();
        assertThat(run("pull", "s3://" + bucket + "/s", tmp.toString(), "-q", "--allow-unverified").exit()).isZero();
        assertThat(tmp.resolve("s/metadata.yaml")).hasContent("x: 1");
    }

    @Test
    void hostileKeysAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path store = writeStore(tmp.resolve("rig"), 5);
        String bucket = bucket();
        assertThat(run("push", store.toString(), "s3://" + bucket, "-q").exit()).isZero();
        for (String hostile : List.of("rig/../../escaped", "rig/sub/../../../escaped", "rig//etc/passwd",
                "rig/./x", "rig/a\\..\\..\\escaped", "rig/C:/escaped", "rig/bad\u0007name", "rig/..",
                "rig/000000/.000000.png.imgstore-pull")) {
            Path into = Files.createDirectories(tmp.resolve("in-" + Integer.toHexString(hostile.hashCode())));
            S3Client lying = withExtraKey(client, hostile);
            assertThatThrownBy(() -> new StoreTransfer(lying, StoreTransfer.Options.defaults())
                    .pull(S3Location.parse("s3://" + bucket + "/rig"), into.resolve("target"), null,
                            new StoreTransfer.Listener() { }))
                    .as(hostile).isInstanceOf(IOException.class).hasMessageStartingWith("refusing key");
            assertThat(into.resolve("target")).as(hostile).doesNotExist();
            try (Stream<Path> all = Files.walk(tmp)) {
                assertThat(all.map(p -> p.getFileName().toString())).as(hostile).doesNotContain("escaped");
            }
        }
    }

    @Test
    void aSymbolicLinkInTheTargetDoesNotLeadOutside() throws Exception {
        Path store = writeStore(tmp.resolve("rig"), 15);
        String bucket = bucket();
        assertThat(run("push", store.toString(), "s3://" + bucket, "-q").exit()).isZero();
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path into = Files.createDirectories(tmp.resolve("in/rig"));
        Files.createSymbolicLink(into.resolve("000001"), outside);
        Run pull = run("pull", "s3://" + bucket + "/rig", tmp.resolve("in").toString(), "-q");
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).contains("refusing key rig/000001/").contains("outside");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void noFolderIsCreatedThroughASymbolicLink() throws Exception {
        String bucket = bucket();
        putWithChecksum(bucket, "s/link/deeper/x.bin", new byte[] {1, 2, 3});
        putWithChecksum(bucket, "s/metadata.yaml", "x: 1\n".getBytes(StandardCharsets.UTF_8));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path into = Files.createDirectories(tmp.resolve("in/s"));
        Files.createSymbolicLink(into.resolve("link"), outside);
        Run pull = run("pull", "s3://" + bucket + "/s", tmp.resolve("in").toString(), "-q");
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).startsWith("imgstore pull: refusing key s/link/deeper/x.bin: ")
                .contains("is a symbolic link");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        assertThat(into.resolve("metadata.yaml")).doesNotExist();
    }

    private static void putWithChecksum(String bucket, String key, byte[] bytes) throws Exception {
        client.putObject(PutObjectRequest.builder().bucket(bucket).key(key)
                .metadata(Map.of(StoreTransfer.SHA256_METADATA, sha256(bytes))).build(), RequestBody.fromBytes(bytes));
    }

    @Test
    void aStoreOpenForWritingIsRefused() throws Exception {
        String bucket = bucket();
        Path dir = tmp.resolve("live");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.PNG, 40, 64, 3).withChunksize(10))) {
            for (int i = 0; i < 12; i++) {
                w.addImage(Barcode.draw(i, 40, 64, 3, PixelType.UINT8), i, 100.0 + i);
            }
            assertThat(dir.resolve(StoreLayout.METADATA_FILE)).exists(); // a reader could open it
            Run push = run("push", dir.toString(), "s3://" + bucket);
            assertThat(push.exit()).isEqualTo(1);
            assertThat(push.err()).isEqualTo("imgstore push: store live is open for writing (its .lock is held); "
                    + "push it after the writer closed it\n");
            assertThat(keys(bucket, "")).isEmpty();
        }
        Run push = run("push", dir.toString(), "s3://" + bucket, "-q");
        assertThat(push.exit()).as(push.err()).isZero();
        assertThat(keys(bucket, "")).contains("live/metadata.yaml").noneMatch(k -> k.endsWith(".lock"));

        // pulling into a folder whose store is open for writing is refused too, nothing written there
        Path into = tmp.resolve("in");
        try (ImgStoreWriter w = ImgStoreWriter.create(into.resolve("live"),
                StoreSpec.of(StoreFormat.PNG, 40, 64, 3).withChunksize(10))) {
            w.addImage(Barcode.draw(7, 40, 64, 3, PixelType.UINT8), 7, 1.0);
            byte[] before = Files.readAllBytes(into.resolve("live/metadata.yaml"));
            Run pull = run("pull", "s3://" + bucket + "/live", into.toString(), "-q");
            assertThat(pull.exit()).isEqualTo(1);
            assertThat(pull.err()).isEqualTo("imgstore pull: store live is open for writing (its .lock is held); "
                    + "pull into it after the writer closed it\n");
            assertThat(into.resolve("live/metadata.yaml")).hasBinaryContent(before);
            assertThat(into.resolve("live/000001")).doesNotExist();
        }
    }

    @Test
    void aLockHeldByAnotherProcessIsRefused() throws Exception {
        Path store = writeStore(tmp.resolve("other"), 5);
        Path lock = store.resolve(StoreLayout.LOCK_FILE);
        Files.writeString(lock, "");
        Path holder = tmp.resolve("HoldLock.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class HoldLock {
                    public static void main(String[] a) throws Exception {
                        try (FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE);
                                var l = c.lock()) {
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read();
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, holder.toString(), lock.toString()).redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
            assertThat(line).isEqualTo("locked");
            String bucket = bucket();
            Run push = run("push", store.toString(), "s3://" + bucket);
            assertThat(push.exit()).isEqualTo(1);
            assertThat(push.err()).contains("store other is open for writing");
            assertThat(keys(bucket, "")).isEmpty();
        } finally {
            p.getOutputStream().close();
            p.destroy();
            p.waitFor();
        }
        // a leftover .lock that nobody holds (a writer that died) does not stop a push
        String bucket = bucket();
        Run push = run("push", store.toString(), "s3://" + bucket, "-q");
        assertThat(push.exit()).as(push.err()).isZero();
    }

    @Test
    void usageAndFailures() throws Exception {
        Path store = writeStore(tmp.resolve("u"), 3);
        Run bad = run("push", store.toString(), "s3://Bad_Bucket/x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("invalid S3 bucket name").contains("Try 'imgstore push --help'");
        assertThat(run("pull", "s3://bucket/../x", tmp.toString()).exit()).isEqualTo(2);
        Run jobs = run("push", store.toString(), "s3://bucket", "--jobs", "0");
        assertThat(jobs.exit()).isEqualTo(2);
        assertThat(jobs.err()).startsWith("imgstore push: --jobs must be between 1 and 64");
        Run noStore = run("push", tmp.resolve("nothing").toString(), "s3://somebucket");
        assertThat(noStore.exit()).isEqualTo(1);
        assertThat(noStore.err()).startsWith("imgstore push: no store at ");
        String bucket = bucket();
        Run missing = run("pull", "s3://" + bucket + "/none", tmp.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("imgstore pull: no store at s3://" + bucket + "/none (no metadata.yaml)\n");
        Run noName = run("pull", "s3://" + bucket, tmp.toString());
        assertThat(noName.exit()).isEqualTo(1);
        assertThat(noName.err()).contains("must name a store");
        Run noBucket = run("push", store.toString(), "s3://no-such-bucket-here/x", "-q");
        assertThat(noBucket.exit()).isEqualTo(1);
        assertThat(noBucket.err()).startsWith("imgstore push: ").contains("NoSuchBucket").hasLineCount(1);
        Run byMetadataFile = run("push", store.resolve("metadata.yaml").toString(), "s3://" + bucket, "-q");
        assertThat(byMetadataFile.out()).as(byMetadataFile.err()).contains("pushed to s3://" + bucket + "/u:");
        Run badAs = run("push", store.toString(), "s3://" + bucket, "--as", "a/b");
        assertThat(badAs.exit()).isEqualTo(1);
        assertThat(badAs.err()).contains("invalid store name 'a/b'");
    }

    // ------------------------------------------------------------------ helpers

    private Path writeStore(Path dir, int frames) {
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.PNG, 40, 64, 3).withChunksize(10))) {
            for (int i = 0; i < frames; i++) {
                w.addImage(Barcode.draw(i, 40, 64, 3, PixelType.UINT8), i, 100.0 + i);
            }
        }
        return dir;
    }

    /** The store's files but the writer's own (.lock, leases), by '/'-separated relative path. */
    static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!StoreLayout.isWriterState(rel)) {
                    out.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    private static void assertSameFiles(Path dir, Map<String, byte[]> expected) throws IOException {
        Map<String, byte[]> got = files(dir);
        assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
        for (var e : expected.entrySet()) {
            assertThat(got.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static List<String> keys(String bucket, String prefix) {
        List<String> out = new ArrayList<>();
        client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> out.add(o.key()));
        return out;
    }

    /** A client that records the uploads (single PUT and multipart) as they start and end, and the parts. */
    static final class Recording {
        /** Keys of completed uploads, in the order they completed. */
        final List<String> puts = Collections.synchronizedList(new ArrayList<>());
        /** "start KEY" and "end KEY" of every upload, in order. */
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger parts = new AtomicInteger();
        private final S3Client real;

        Recording(S3Client real) {
            this.real = real;
        }

        S3Client proxy() {
            return intercept(real, (name, args, done) -> {
                String key = null;
                if (name.equals("putObject") && args[0] instanceof PutObjectRequest r) {
                    key = r.key();
                } else if (name.equals("completeMultipartUpload") && args[0] instanceof Consumer<?> c) {
                    CompleteMultipartUploadRequest.Builder b = CompleteMultipartUploadRequest.builder();
                    @SuppressWarnings("unchecked")
                    Consumer<CompleteMultipartUploadRequest.Builder> cb =
                            (Consumer<CompleteMultipartUploadRequest.Builder>) c;
                    cb.accept(b);
                    key = b.build().key();
                } else if (name.equals("uploadPart") && done) {
                    parts.incrementAndGet();
                }
                if (key != null) {
                    events.add((done ? "end " : "start ") + key);
                    if (done) {
                        puts.add(key);
                    }
                }
            }, null);
        }
    }

    /** A client whose listings of the bucket also name {@code extraKey} (a hostile server or bucket). */
    private static S3Client withExtraKey(S3Client real, String extraKey) {
        return intercept(real, (name, args, done) -> { }, response -> {
            if (response instanceof ListObjectsV2Response r) {
                List<S3Object> contents = new ArrayList<>(r.contents());
                contents.add(S3Object.builder().key(extraKey).size(4L).eTag("\"x\"").build());
                return r.toBuilder().contents(contents).build();
            }
            return response;
        });
    }

    /** Sees each call with arguments before it is made ({@code done} false) and after it succeeded. */
    interface Before {
        void call(String method, Object[] args, boolean done);
    }

    private static S3Client intercept(S3Client real, Before before, java.util.function.UnaryOperator<Object> after) {
        InvocationHandler h = (proxy, method, args) -> {
            boolean withArgs = args != null && args.length > 0;
            if (withArgs) {
                before.call(method.getName(), args, false);
            }
            Object result;
            try {
                if (method.getName().equals("listObjectsV2") && args != null && args[0] instanceof Consumer<?> c) {
                    // the interface's default method would build the request and call the proxy again
                    ListObjectsV2Request.Builder b = ListObjectsV2Request.builder();
                    @SuppressWarnings("unchecked")
                    Consumer<ListObjectsV2Request.Builder> cb = (Consumer<ListObjectsV2Request.Builder>) c;
                    cb.accept(b);
                    result = real.listObjectsV2(b.build());
                } else {
                    result = method.invoke(real, args);
                }
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (withArgs) {
                before.call(method.getName(), args, true);
            }
            return after == null ? result : after.apply(result);
        };
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, h);
    }
}
