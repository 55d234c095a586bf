package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.npy.Npy;
import io.imgstore.format.npy.NpyImages;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import io.imgstore.testing.S3Proxies;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The reference stores of Python imgstore, uploaded to S3Proxy at test time (from
 * {@code ../shared/fixtures}, read-only) and read back through {@link S3StoreFiles}: metadata,
 * listings, the npz indexes, every npy frame through the library's {@link NpyImages#read(
 * io.imgstore.format.storage.StoreFiles, Path, int[], PixelType)} with its barcode decoded, and
 * ranged reads of a video chunk compared with the file, with the bytes they cost.
 */
class S3FixtureStoresTest {

    private static final String BUCKET = "fixtures";
    /** The store with the largest video chunk of the fixtures (33 KB). */
    private static final String VIDEO = "06_mjpeg-avi_wrap";
    private static S3Client client;
    private static S3Location location;
    private static List<Fixtures.Store> stores;

    @BeforeAll
    static void upload() throws Exception {
        stores = Fixtures.generated();
        S3Proxies s3 = S3Proxies.shared();
        client = s3.client();
        s3.createBucket(BUCKET);
        location = S3Location.parse("s3://" + BUCKET + "/lab/generated");
        S3Uploads up = new S3Uploads(client, location);
        for (Fixtures.Store store : stores) {
            if (!store.format().equals("npy") && !store.name().equals(VIDEO)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(store.dir())) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    up.putFile(store.name() + "/" + store.dir().relativize(p).toString().replace('\\', '/'), p);
                }
            }
        }
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static List<Fixtures.Store> npyStores() {
        List<Fixtures.Store> out = stores.stream().filter(s -> s.format().equals("npy")).toList();
        assertThat(out).extracting(Fixtures.Store::name).contains("07_npy_negative", "u16_npy");
        return out;
    }

    @Test
    void metadataAndListingsMatchTheLocalStores() throws Exception {
        S3StoreFiles f = new S3StoreFiles(client, location);
        for (Fixtures.Store store : npyStores()) {
            Path dir = f.anchor().resolve(store.name());
            Path yaml = StoreLayout.metadataFile(dir);
            assertThat(f.readString(yaml)).isEqualTo(Files.readString(StoreLayout.metadataFile(store.dir())));
            Map<String, Object> meta = storeBlock(f, dir);
            assertThat(meta.get("format")).isEqualTo("npy");
            assertThat(meta.get("uuid")).isEqualTo(store.manifest().get("uuid").asString());
            assertThat(((List<?>) meta.get("imgshape")).subList(0, 2)).isEqualTo(List.of(store.height(), store.width()));
            assertThat(meta.get("chunksize")).isEqualTo(store.chunksize());

            List<String> local;
            try (Stream<Path> s = Files.list(store.dir())) {
                local = s.map(p -> p.getFileName().toString()).toList();
            }
            assertThat(f.list(dir)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrderElementsOf(local);
            for (int chunk : store.chunks()) {
                Path folder = StoreLayout.of(dir, StoreFormat.NPY).chunkFolder(chunk);
                try (Stream<Path> s = Files.list(StoreLayout.of(store.dir(), StoreFormat.NPY).chunkFolder(chunk))) {
                    assertThat(f.list(folder)).extracting(p -> p.getFileName().toString())
                            .containsExactlyInAnyOrderElementsOf(s.map(p -> p.getFileName().toString()).toList());
                }
            }
        }
    }

    @Test
    void everyNpyFrameThroughTheLibraryShowsItsFrameNumber() throws Exception {
        S3StoreFiles f = new S3StoreFiles(client, location);
        for (Fixtures.Store store : npyStores()) {
            Path dir = f.anchor().resolve(store.name());
            StoreLayout layout = StoreLayout.of(dir, StoreFormat.NPY);
            StoreLayout localLayout = StoreLayout.of(store.dir(), StoreFormat.NPY);
            // the stored shape and dtype, as the library takes them from the metadata (bayer: 2-D raw)
            Map<String, Object> meta = storeBlock(f, dir);
            @SuppressWarnings("unchecked")
            int[] shape = ((List<Integer>) meta.get("imgshape")).stream().mapToInt(Integer::intValue).toArray();
            PixelType type = PixelType.ofDtype((String) meta.get("imgdtype"));
            TreeSet<Long> seen = new TreeSet<>();
            int frames = 0;
            for (int chunk : store.chunks()) {
                long[] numbers = frameNumbers(f, layout.npzIndex(chunk));
                for (int position = 0; position < numbers.length; position++) {
                    Image img = NpyImages.read(f, layout.frameFile(chunk, position), shape, type);
                    Image expected = NpyImages.read(localLayout.frameFile(chunk, position), shape, type);
                    assertThat(img.data()).isEqualTo(expected.data());
                    assertThat(img.width()).isEqualTo(store.width());
                    if (store.encoding().isEmpty()) { // a Bayer mosaic shows its barcode only once demosaiced
                        assertThat(Barcode.decode(img)).as(store + " chunk " + chunk + " position " + position)
                                .isEqualTo(Barcode.expected(numbers[position]));
                    }
                    seen.add(numbers[position]);
                    frames++;
                }
            }
            TreeSet<Long> numbers = new TreeSet<>();
            store.frames().forEach(fr -> numbers.add(fr[1]));
            assertThat(frames).as(store.name()).isEqualTo(store.frameCount());
            assertThat(seen).as(store.name()).isEqualTo(numbers);
        }
    }

    private static Map<String, Object> storeBlock(S3StoreFiles f, Path dir) throws Exception {
        try (Reader r = f.newReader(StoreLayout.metadataFile(dir))) {
            Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) doc.get(StoreLayout.STORE_KEY);
            return meta;
        }
    }

    /** frame_number of an npz index, streamed through the storage (members are stored, not deflated). */
    private static long[] frameNumbers(S3StoreFiles f, Path npz) throws Exception {
        try (InputStream in = f.newInputStream(npz); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                if (e.getName().equals("frame_number.npy")) {
                    return Npy.read(zip).toLongs();
                }
            }
        }
        throw new AssertionError("no frame_number in " + npz);
    }

    @Test
    void rangedReadsOfAVideoChunkMatchTheFileAndCostAboutTheBytesTouched() throws Exception {
        Fixtures.Store store = stores.stream().filter(s -> s.name().equals(VIDEO)).findFirst()
                .orElseThrow();
        Path local = store.videoChunk(0);
        byte[] bytes = Files.readAllBytes(local);
        int block = 4096;
        S3StoreFiles f = new S3StoreFiles(client, location, S3StoreFiles.Options.defaults().withBlockSize(block)
                .withBlockCacheBytes(0).withReadAheadBlocks(0));
        Path remote = f.anchor().resolve(store.name()).resolve(local.getFileName().toString());
        Random r = new Random(3);
        List<Long> costs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int pos = r.nextInt(bytes.length);
            int len = Math.min(1 + r.nextInt(4096), bytes.length - pos);
            try (SeekableByteChannel ch = f.newChannel(remote)) {
                S3Stats before = f.stats();
                ByteBuffer buf = ByteBuffer.allocate(len);
                ch.position(pos);
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // fill
                }
                assertThat(buf.array()).isEqualTo(java.util.Arrays.copyOfRange(bytes, pos, pos + len));
                long cost = f.stats().minus(before).bytesFetched();
                long blocksTouched = (pos + len - 1) / block - pos / block + 1;
                assertThat(cost).isLessThanOrEqualTo(blocksTouched * block);
                costs.add(cost);
            }
        }
        assertThat(bytes.length).isGreaterThan(4 * block); // otherwise the comparison says nothing
        System.out.printf("S3 ranged reads of %s (%d bytes), 4 KiB blocks: %d random reads of <= 4 KiB fetched "
                + "%.0f bytes on average, %d at most%n", local.getFileName(), bytes.length, costs.size(),
                costs.stream().mapToLong(Long::longValue).average().orElseThrow(),
                costs.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertThat(costs.stream().mapToLong(Long::longValue).max().orElseThrow()).isLessThan(bytes.length);
    }
}
