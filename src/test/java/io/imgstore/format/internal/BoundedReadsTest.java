package io.imgstore.format.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.npy.Npy;
import io.imgstore.format.npy.NpyArray;
import io.imgstore.format.npy.Npz;
import io.imgstore.testing.Fuzz;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files whose headers claim more than they hold: refused before allocating, and corrupt indexes cached. */
class BoundedReadsTest {

    private static final long SMALL = 16L << 20;

    @TempDir
    Path dir;

    @BeforeEach
    void forget() {
        CorruptFiles.clear();
    }

    private Path npyStore(int frames) {
        Path store = dir.resolve("s");
        try (ImgStoreWriter w = ImgStoreWriter.create(store, StoreSpec.of(StoreFormat.NPY, 12, 16).withChunksize(10))) {
            for (int i = 0; i < frames; i++) {
                w.addImage(Image.blank(12, 16, 1, PixelType.UINT8), i, 100 + i);
            }
        }
        return store;
    }

    /** 128 bytes: a v1 npy header claiming (46340, 46340) uint8 (2 GB), and a few data bytes. */
    private static byte[] tinyNpyClaiming2GB() {
        byte[] header = Npy.header("|u1", new int[] {46340, 46340});
        byte[] out = new byte[128];
        System.arraycopy(header, 0, out, 0, header.length);
        return out;
    }

    @Test
    void aTinyNpyFrameClaiming2GBIsCorruptAndAllocatesNothing() throws IOException {
        Path store = npyStore(2);
        Files.write(store.resolve("000000/000001.npy"), tinyNpyClaiming2GB());
        try (ImgStore s = ImgStore.open(store)) {
            assertThat(s.getFrameByIndex(0).image().shape()).containsExactly(12, 16);
            long before = Fuzz.allocatedBytes();
            assertThatThrownBy(() -> s.getFrameByIndex(1)).isInstanceOf(CorruptStoreException.class)
                    .hasMessageContaining("46340");
            assertThat(Fuzz.allocatedBytes() - before).isLessThan(SMALL);
        }
    }

    @Test
    void aTinyNpyFrameInAStoreWhoseMetadataClaimsTheSameHugeShapeIsCorruptToo() throws IOException {
        Path store = npyStore(1);
        Map<String, Object> doc = MetadataYaml.read(store);
        @SuppressWarnings("unchecked")
        Map<String, Object> smd = (Map<String, Object>) doc.get(MetadataYaml.STORE_KEY);
        smd.put("imgshape", List.of(46340, 46340));
        MetadataYaml.write(store, doc);
        Files.write(store.resolve("000000/000000.npy"), tinyNpyClaiming2GB());
        try (ImgStore s = ImgStore.open(store)) {
            long before = Fuzz.allocatedBytes();
            assertThatThrownBy(() -> s.getFrameByIndex(0)).isInstanceOf(CorruptStoreException.class)
                    .hasMessageContaining("bytes follow it");
            assertThat(Fuzz.allocatedBytes() - before).isLessThan(SMALL);
        }
    }

    @Test
    void npyFramesOfAnotherShapeOrDtypeAreCorrupt() throws IOException {
        Path store = npyStore(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, new NpyArray("|u1", new int[] {16, 12}, new byte[12 * 16]));
        Files.write(store.resolve("000000/000001.npy"), out.toByteArray());
        try (ImgStore s = ImgStore.open(store)) {
            assertThatThrownBy(() -> s.getFrameByIndex(1)).isInstanceOf(CorruptStoreException.class)
                    .hasMessageContaining("[16, 12]");
        }
        out.reset();
        Npy.write(out, new NpyArray("<u2", new int[] {12, 16}, new byte[12 * 16 * 2]));
        Files.write(store.resolve("000000/000001.npy"), out.toByteArray());
        try (ImgStore s = ImgStore.open(store)) {
            assertThatThrownBy(() -> s.getFrameByIndex(1)).isInstanceOf(CorruptStoreException.class)
                    .hasMessageContaining("<u2");
        }
    }

    @Test
    void npyWithTrailingOrMissingBytesIsCorrupt() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, NpyArray.ofLongs(new long[] {1, 2, 3}));
        byte[] good = out.toByteArray();
        assertThat(Npy.read(new ByteArrayInputStream(good), good.length, 1 << 20).toLongs()).containsExactly(1, 2, 3);
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(longer), longer.length, 1 << 20))
                .isInstanceOf(CorruptStoreException.class);
        byte[] shorter = java.util.Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(shorter)))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(java.util.Arrays.copyOf(good, 20))))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(good), good.length, 16))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("limit");
    }

    @Test
    void npyHeadersWithBadShapesOrDtypesAreCorrupt() {
        for (String dict : List.of("{'descr': '<i8', 'fortran_order': False, 'shape': (99999999999,), }",
                "{'descr': '<i8', 'fortran_order': False, 'shape': (-5,), }",
                "{'descr': '<i8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }",
                "{'descr': '<i8', 'fortran_order': False, 'shape': (x,), }",
                "{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (3,), }",
                "{'descr': '<U999999999999', 'fortran_order': False, 'shape': (3,), }",
                "{'descr': '', 'fortran_order': False, 'shape': (3,), }")) {
            byte[] d = dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) d.length, 0});
            b.writeBytes(d);
            b.writeBytes(new byte[24]);
            assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(b.toByteArray())))
                    .as(dict).isInstanceOf(CorruptStoreException.class);
        }
    }

    /** A zip whose frame_number member has a small npy header and then {@code zeros} deflated zero bytes. */
    private static byte[] zipBomb(int[] claimedShape, int zeros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("frame_number.npy"));
            zip.write(Npy.header("<i8", claimedShape));
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < zeros / block.length; i++) {
                zip.write(block);
            }
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("frame_time.npy"));
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            Npy.write(t, NpyArray.ofDoubles(new double[] {1.0, 2.0}));
            zip.write(t.toByteArray());
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private void assertBombRefusedOnceThenFromCache(Path store, String message) throws IOException {
        long hits = CorruptFiles.hits();
        long before = Fuzz.allocatedBytes();
        assertThatThrownBy(() -> ImgStore.open(store)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining(message);
        assertThat(Fuzz.allocatedBytes() - before).isLessThan(SMALL);
        assertThat(CorruptFiles.hits()).isEqualTo(hits);
        // unchanged: answered from the cache, the zip is not opened again
        assertThatThrownBy(() -> ImgStore.open(store)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining(message);
        assertThat(CorruptFiles.hits()).isEqualTo(hits + 1);
        // changed (mtime): read again
        Path npz = store.resolve("000000/index.npz");
        Files.setLastModifiedTime(npz, FileTime.from(Instant.now().plusSeconds(5)));
        assertThatThrownBy(() -> ImgStore.open(store)).isInstanceOf(CorruptStoreException.class);
        assertThat(CorruptFiles.hits()).isEqualTo(hits + 1);
    }

    @Test
    void aZipBombIndexWithASmallHeaderIsRefusedWithoutInflatingAndCached() throws IOException {
        Path store = npyStore(2);
        // the header says 2 frames (16 bytes), the member inflates to 64 MiB of zeros
        Files.write(store.resolve("000000/index.npz"), zipBomb(new int[] {2}, 64 << 20));
        assertBombRefusedOnceThenFromCache(store, "frame_number");
    }

    @Test
    void aZipBombIndexWhoseHeaderClaimsItAllIsRefusedByRatioAndCap() throws IOException {
        Path store = npyStore(2);
        // the header honestly claims 8 Mi int64 (64 MiB): far beyond what 64 KiB of deflate may declare
        Files.write(store.resolve("000000/index.npz"), zipBomb(new int[] {8 << 20}, 64 << 20));
        assertBombRefusedOnceThenFromCache(store, "allowed");
        // and above the absolute cap even when stored uncompressed
        Map<String, NpyArray> members = new LinkedHashMap<>();
        members.put("frame_number", NpyArray.ofLongs(new long[5 << 20]));
        members.put("frame_time", NpyArray.ofDoubles(new double[5 << 20]));
        Path big = dir.resolve("big.npz");
        Npz.write(big, members);
        assertThatThrownBy(() -> Npz.read(big, ChunkIndex.FRAME_MD, ChunkIndex.MAX_INDEX_MEMBER_BYTES))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("allowed");
        assertThat(Npz.read(big, ChunkIndex.FRAME_MD).get("frame_number").size()).isEqualTo(5 << 20);
    }

    @Test
    void ourOwnIndexesStillReadAndTheCacheStaysBounded() throws IOException {
        Path store = npyStore(3);
        try (ImgStore s = ImgStore.open(store)) {
            assertThat(s.frameCount()).isEqualTo(3);
        }
        for (int i = 0; i < CorruptFiles.MAX_ENTRIES + 20; i++) {
            Path f = dir.resolve("bad" + i + ".npz");
            Files.write(f, new byte[] {1, 2, 3});
            assertThatThrownBy(() -> CorruptFiles.read(f, p -> Npz.read(p, null))).isInstanceOf(CorruptStoreException.class);
        }
        assertThat(CorruptFiles.size()).isEqualTo(CorruptFiles.MAX_ENTRIES);
    }

    @Test
    void anOversizedJournalIsCorrupt() throws IOException {
        Path base = dir.resolve("000000");
        try (RandomAccessFile f = new RandomAccessFile(Journal.pathFor(base).toFile(), "rw")) {
            f.setLength(Journal.MAX_JOURNAL_BYTES + 16); // sparse
        }
        long before = Fuzz.allocatedBytes();
        assertThatThrownBy(() -> Journal.read(0, base)).isInstanceOf(CorruptStoreException.class);
        assertThat(Fuzz.allocatedBytes() - before).isLessThan(SMALL);
    }
}
