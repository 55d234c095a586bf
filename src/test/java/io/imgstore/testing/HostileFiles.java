package io.imgstore.testing;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Stores with hostile files in them, as an attacker with write access to the root would leave them. */
public final class HostileFiles {

    private HostileFiles() {
    }

    /** A valid 16x16 gray npy store of three barcode frames (chunk folder {@code 000000}). */
    public static void writeStore(Path dir) {
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 16, 16))) {
            for (int n = 0; n < 3; n++) {
                w.addImage(Barcode.draw(n, 16, 16, 1, PixelType.UINT8), n, 1000.0 + n);
            }
        }
    }

    /** A store whose first frame is a 128-byte {@code .npy} whose header claims 46340 x 46340 bytes (2 GB). */
    public static void writeTinyNpyStore(Path dir) throws IOException {
        writeStore(dir);
        Files.write(dir.resolve("000000/000000.npy"), npy("|u1", "(46340, 46340)", new byte[0]));
    }

    /** A store whose chunk index's {@code frame_number} member inflates to {@code bytes} of zeros. */
    public static void writeZipBombStore(Path dir, long bytes) throws IOException {
        writeStore(dir);
        Files.write(dir.resolve("000000/index.npz"), zipBomb(bytes));
    }

    /** An npy file (version 1.0) with the given dtype descriptor, shape literal and data. */
    public static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    /** An npz whose {@code frame_number.npy} member claims (and inflates to) {@code bytes} of int64 zeros. */
    public static byte[] zipBomb(long bytes) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.setLevel(Deflater.BEST_COMPRESSION);
            z.putNextEntry(new ZipEntry("frame_number.npy"));
            z.write(npy("<i8", "(" + bytes / 8 + ",)", new byte[0]));
            byte[] zeros = new byte[1 << 20];
            for (long done = 0; done < bytes; done += zeros.length) {
                z.write(zeros);
            }
            z.closeEntry();
            z.putNextEntry(new ZipEntry("frame_time.npy"));
            z.write(npy("<f8", "(3,)", new byte[24]));
            z.closeEntry();
        }
        return zip.toByteArray();
    }
}
