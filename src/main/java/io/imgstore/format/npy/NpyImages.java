package io.imgstore.format.npy;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The library's one home for {@link Image} ↔ npy: how imgstore's {@code np.save} of a frame
 * looks ({@code |u1} or {@code <u2}, shape {@code [h, w]} or {@code [h, w, 3]}, BGR), and reading
 * such a file back with bounds checked before anything is allocated. Used by the writer
 * ({@code npy} DirectoryImgStores), the reader, the service's npy responses and the CLI.
 */
public final class NpyImages {

    private NpyImages() {
    }

    /** The npy array of an image, as {@code np.save} of imgstore's array would write it. */
    public static NpyArray toNpy(Image image) {
        String descr = image.pixelType() == PixelType.UINT8 ? "|u1" : "<u2";
        return new NpyArray(descr, image.shape(), image.data());
    }

    /** Writes an image as an npy file's bytes to {@code out}. */
    public static void write(OutputStream out, Image image) throws IOException {
        Npy.write(out, toNpy(image));
    }

    /**
     * Interprets an npy array as an image ({@code [h, w]}, {@code [h, w, 1]} or {@code [h, w, 3]};
     * uint8 or uint16 of either byte order).
     *
     * @param what names the source in error messages
     * @throws CorruptStoreException for other shapes
     */
    public static Image toImage(NpyArray a, String what) {
        int[] s = a.shape();
        if (s.length != 2 && !(s.length == 3 && (s[2] == 1 || s[2] == 3))) {
            throw new CorruptStoreException(what + ": npy frame has unsupported shape " + Arrays.toString(s));
        }
        PixelType type = PixelType.ofDtype(a.descr());
        byte[] data = a.data();
        if (type == PixelType.UINT16 && a.descr().charAt(0) == '>') {
            data = data.clone();
            for (int i = 0; i < data.length; i += 2) {
                byte t = data[i];
                data[i] = data[i + 1];
                data[i + 1] = t;
            }
        }
        return new Image(s[0], s[1], s.length == 3 ? s[2] : 1, type, data);
    }

    /** Reads an npy frame ({@code [h, w]} or {@code [h, w, c]}, uint8 or uint16) of any shape. */
    public static Image read(Path file) {
        return read(file, null, null);
    }

    /**
     * Reads an npy frame. Its header is checked before anything is allocated: it must declare exactly
     * the bytes that follow it in the file and, when given, the store's shape and dtype, so a small
     * file can never make us allocate what its header claims.
     *
     * @throws CorruptStoreException  when the file does not hold such a frame
     * @throws FrameNotFoundException when there is no such file
     */
    public static Image read(Path file, int[] expectedShape, PixelType expectedType) {
        return read(StoreFiles.LOCAL, file, expectedShape, expectedType);
    }

    /** As {@link #read(Path, int[], PixelType)}, through a storage. */
    public static Image read(StoreFiles files, Path file, int[] expectedShape, PixelType expectedType) {
        try (InputStream in = files.newInputStream(file)) {
            long size = files.size(file);
            Npy.Header h = Npy.readHeader(in);
            String what = file.getFileName().toString();
            if (expectedShape != null && !sameFrameShape(h.shape(), expectedShape)) {
                throw new CorruptStoreException(what + ": npy frame of shape " + Arrays.toString(h.shape())
                        + " in a store of imgshape " + Arrays.toString(expectedShape));
            }
            if (expectedType != null && !h.descr().substring(1).equals("u" + expectedType.bytes())) {
                throw new CorruptStoreException(what + ": npy frame of dtype " + h.descr() + " in a store of "
                        + expectedType.dtype());
            }
            long maxBytes = expectedShape == null ? Integer.MAX_VALUE - 16 : frameBytes(expectedShape, expectedType);
            return toImage(Npy.readData(in, h, size, maxBytes), what);
        } catch (NoSuchFileException e) {
            throw new FrameNotFoundException("frame file missing: " + file.getFileName());
        } catch (IOException e) {
            throw new CorruptStoreException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** [h, w] and [h, w, 1] are the same frame shape. */
    private static boolean sameFrameShape(int[] npy, int[] store) {
        int[] a = npy.length == 3 && npy[2] == 1 ? new int[] {npy[0], npy[1]} : npy;
        int[] b = store.length == 3 && store[2] == 1 ? new int[] {store[0], store[1]} : store;
        return Arrays.equals(a, b);
    }

    private static long frameBytes(int[] shape, PixelType type) {
        long n = type == null ? 2 : type.bytes();
        for (int d : shape) {
            n *= Math.max(0, d); // metadata shapes are ints of at most 3 dimensions: no overflow
        }
        return n;
    }
}
