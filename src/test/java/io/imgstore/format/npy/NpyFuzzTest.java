package io.imgstore.format.npy;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.ImgStoreException;
import io.imgstore.format.PixelType;
import io.imgstore.format.internal.ChunkIndex;
import io.imgstore.format.internal.DirectoryFrameSource;
import io.imgstore.testing.Fuzz;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: mutated and random {@code .npy} / {@code .npz} bytes end in the library's own exceptions
 * ({@link ImgStoreException}), never in OutOfMemoryError, IndexOutOfBounds, NegativeArraySize, ...,
 * and never allocate what a header merely claims.
 */
class NpyFuzzTest {

    private static final long MAX_ALLOCATED = 16L << 20;

    @TempDir
    Path dir;

    static byte[] npy(NpyArray a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Npy.write(out, a);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A version 2.0 npy (4-byte header length). */
    static byte[] npyV2(NpyArray a) {
        byte[] v1 = npy(a);
        int len = (v1[8] & 0xff) | ((v1[9] & 0xff) << 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(v1, 0, 6);
        out.write(2);
        out.write(0);
        out.write(len & 0xff);
        out.write((len >> 8) & 0xff);
        out.write(0);
        out.write(0);
        out.write(v1, 10, v1.length - 10);
        return out.toByteArray();
    }

    static List<byte[]> npySeeds() {
        byte[] frame = new byte[12 * 16];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        return List.of(
                npy(new NpyArray("|u1", new int[] {12, 16}, frame)),
                npy(new NpyArray("<u2", new int[] {4, 4, 3}, new byte[4 * 4 * 3 * 2])),
                npy(NpyArray.ofLongs(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})),
                npy(NpyArray.ofDoubles(new double[] {1.5, 2.5, 3.5})),
                npy(NpyArray.scalarLong(42)),
                npy(NpyArray.scalarString("npy")),
                npyV2(NpyArray.ofLongs(new long[] {7, 8, 9})));
    }

    /** npz files: as we write them (stored) and deflated (savez_compressed). */
    static List<byte[]> npzSeeds(Path tmp) throws IOException {
        Map<String, NpyArray> members = new LinkedHashMap<>();
        members.put("frame_number", NpyArray.ofLongs(new long[] {10, 11, 12, 13, 14, 15}));
        members.put("frame_time", NpyArray.ofDoubles(new double[] {1.0, 1.1, 1.2, 1.3, 1.4, 1.5}));
        members.put("imgshape", NpyArray.ofLongs(new long[] {12, 16}));
        members.put("format", NpyArray.scalarString("npy"));
        Path stored = tmp.resolve("seed.npz");
        Npz.write(stored, members);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Files.readAllBytes(stored));
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(deflated)) {
            zip.setMethod(ZipOutputStream.DEFLATED);
            for (Map.Entry<String, NpyArray> m : members.entrySet()) {
                zip.putNextEntry(new ZipEntry(m.getKey() + ".npy"));
                zip.write(npy(m.getValue()));
                zip.closeEntry();
            }
        }
        seeds.add(deflated.toByteArray());
        return seeds;
    }

    @Test
    void npyStreamsEndInCorruptStoreOrAnArrayOfTheirOwnSize() {
        List<byte[]> seeds = npySeeds();
        Fuzz.forAll("npy stream", 1000, (r, i) -> {
            byte[] input = Fuzz.input(seeds, r);
            boolean sized = r.nextBoolean();
            Fuzz.check("npy", MAX_ALLOCATED, () -> {
                NpyArray a = sized ? Npy.read(new ByteArrayInputStream(input), input.length, 1 << 20)
                        : Npy.read(new ByteArrayInputStream(input));
                assertThat((long) a.data().length).isLessThanOrEqualTo(input.length);
                if (a.descr().matches("[<>][iuf]\\d")) {
                    assertThat(a.toDoubles()).hasSize((int) a.size());
                }
            }, ImgStoreException.class);
        });
    }

    @Test
    void npyFrameFilesEndInCorruptStoreOrAFrameOfTheStoresShape() {
        List<byte[]> seeds = List.of(npySeeds().get(0), npySeeds().get(1));
        Fuzz.forAll("npy frame file", 400, (r, i) -> {
            byte[] input = Fuzz.input(seeds, r);
            Path f = dir.resolve("000000.npy");
            Files.write(f, input);
            boolean gray = r.nextBoolean();
            int[] shape = gray ? new int[] {12, 16} : new int[] {4, 4, 3};
            PixelType type = gray ? PixelType.UINT8 : PixelType.UINT16;
            Fuzz.check("npy frame", MAX_ALLOCATED, () -> {
                var img = DirectoryFrameSource.readNpy(f, shape, type);
                assertThat(img.shape()).containsExactly(gray ? new int[] {12, 16} : new int[] {4, 4, 3});
            }, ImgStoreException.class);
        });
    }

    @Test
    void npzFilesEndInCorruptStoreWithinBoundedMemory() throws IOException {
        List<byte[]> seeds = npzSeeds(dir);
        // the zip classes' one-off allocations are not the reader's
        Files.write(dir.resolve("warm.npz"), seeds.get(1));
        Npz.read(dir.resolve("warm.npz"), null);
        Fuzz.forAll("npz file", 600, (r, i) -> {
            byte[] input = Fuzz.input(seeds, r);
            Path f = dir.resolve("t" + (i % 7) + ".npz");
            Files.write(f, input);
            boolean all = r.nextBoolean();
            Fuzz.check("npz", MAX_ALLOCATED, () -> {
                Map<String, NpyArray> m = Npz.read(f, all ? null : ChunkIndex.FRAME_MD);
                for (NpyArray a : m.values()) {
                    assertThat((long) a.data().length).isLessThanOrEqualTo(Npz.DEFAULT_MAX_MEMBER_BYTES);
                }
                if (!all) {
                    m.get("frame_number").toLongs();
                    m.get("frame_time").toDoubles();
                }
            }, ImgStoreException.class);
        });
    }

    /**
     * The same through the storage seam when the npz is not a local file (Commons Compress over a
     * {@link io.imgstore.format.storage.StoreFiles#newChannel channel}): corrupt or bounded, never more;
     * zip bombs refused without inflating; a valid index reads the same as the local path.
     */
    @Test
    void npzFilesReadThroughAChannelEndInCorruptStoreWithinBoundedMemory() throws IOException {
        io.imgstore.format.storage.StoreFiles channel = new io.imgstore.testing.CountingStoreFiles(
                io.imgstore.format.storage.StoreFiles.LOCAL);
        List<byte[]> seeds = npzSeeds(dir);
        Files.write(dir.resolve("warm.npz"), seeds.get(1));
        Map<String, NpyArray> local = Npz.read(dir.resolve("warm.npz"), null);
        Map<String, NpyArray> viaChannel = Npz.read(channel, dir.resolve("warm.npz"), null, Npz.DEFAULT_MAX_MEMBER_BYTES);
        assertThat(viaChannel.keySet()).containsExactlyElementsOf(local.keySet());
        local.forEach((k, v) -> assertThat(viaChannel.get(k).data()).isEqualTo(v.data()));
        Path bomb = dir.resolve("bomb.npz");
        Files.write(bomb, io.imgstore.testing.HostileFiles.zipBomb(64L << 20));
        long before = Fuzz.allocatedBytes();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Npz.read(channel, bomb, ChunkIndex.FRAME_MD,
                ChunkIndex.MAX_INDEX_MEMBER_BYTES)).isInstanceOf(io.imgstore.format.CorruptStoreException.class);
        assertThat(Fuzz.allocatedBytes() - before).isLessThan(8L << 20);
        Fuzz.forAll("npz file through a channel", 300, (r, i) -> {
            byte[] input = Fuzz.input(seeds, r);
            Path f = dir.resolve("c" + (i % 7) + ".npz");
            Files.write(f, input);
            boolean all = r.nextBoolean();
            Fuzz.check("npz via channel", MAX_ALLOCATED, () -> {
                Map<String, NpyArray> m = Npz.read(channel, f, all ? null : ChunkIndex.FRAME_MD,
                        Npz.DEFAULT_MAX_MEMBER_BYTES);
                for (NpyArray a : m.values()) {
                    assertThat((long) a.data().length).isLessThanOrEqualTo(Npz.DEFAULT_MAX_MEMBER_BYTES);
                }
                if (!all) {
                    m.get("frame_number").toLongs();
                    m.get("frame_time").toDoubles();
                }
            }, ImgStoreException.class);
        });
    }
}
