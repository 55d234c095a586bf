package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.npy.Npy;
import io.imgstore.format.npy.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Frames of a {@code DirectoryImgStore}: {@code NNNNNN/MMMMMM.<format>} image files. */
public final class DirectoryFrameSource implements FrameSource {

    private final Path baseDir;
    private final StoreFormat format;
    private final boolean color;
    private final int[] imgshape;
    private final PixelType pixelType;

    public DirectoryFrameSource(Path baseDir, StoreFormat format, boolean color) {
        this(baseDir, format, color, null, null);
    }

    /**
     * @param imgshape  the store's frame shape ({@code [h, w]} or {@code [h, w, c]}); npy frames must have it
     *                  (null: any shape)
     * @param pixelType the store's dtype; npy frames must have it (null: any)
     */
    public DirectoryFrameSource(Path baseDir, StoreFormat format, boolean color, int[] imgshape, PixelType pixelType) {
        this.baseDir = baseDir;
        this.format = format;
        this.color = color;
        this.imgshape = imgshape == null ? null : imgshape.clone();
        this.pixelType = pixelType;
    }

    /** The image file of a frame, as imgstore names it. */
    public static Path framePath(Path baseDir, StoreFormat format, int chunk, int position) {
        return baseDir.resolve(String.format("%06d", chunk)).resolve(String.format("%06d%s", position, format.extension()));
    }

    @Override
    public Image read(int chunk, int position) {
        Path file = framePath(baseDir, format, chunk, position);
        if (!Files.isRegularFile(file)) {
            throw new CorruptStoreException("frame file missing: " + baseDir.relativize(file));
        }
        if (format == StoreFormat.NPY) {
            return readNpy(file, imgshape, pixelType);
        }
        return imgshape == null ? ImageCodec.read(file, color) : ImageCodec.read(file, color, imgshape[0], imgshape[1]);
    }

    /** Reads an npy frame ({@code [h, w]} or {@code [h, w, c]}, uint8 or uint16) of any shape. */
    public static Image readNpy(Path file) {
        return readNpy(file, null, null);
    }

    /**
     * Reads an npy frame. Its header is checked before anything is allocated: it must declare exactly
     * the bytes that follow it in the file and, when given, the store's shape and dtype, so a small
     * file can never make us allocate what its header claims.
     *
     * @throws CorruptStoreException when the file does not hold such a frame
     */
    public static Image readNpy(Path file, int[] expectedShape, PixelType expectedType) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            long size = Files.size(file);
            Npy.Header h = Npy.readHeader(in);
            String what = file.getFileName().toString();
            if (expectedShape != null && !sameFrameShape(h.shape(), expectedShape)) {
                throw new CorruptStoreException(what + ": npy frame of shape " + java.util.Arrays.toString(h.shape())
                        + " in a store of imgshape " + java.util.Arrays.toString(expectedShape));
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
        return java.util.Arrays.equals(a, b);
    }

    private static long frameBytes(int[] shape, PixelType type) {
        long n = type == null ? 2 : type.bytes();
        for (int d : shape) {
            n *= Math.max(0, d); // metadata shapes are ints of at most 3 dimensions: no overflow
        }
        return n;
    }

    /** Interprets an npy array as an image. */
    public static Image toImage(NpyArray a, String what) {
        int[] s = a.shape();
        if (s.length != 2 && !(s.length == 3 && (s[2] == 1 || s[2] == 3))) {
            throw new CorruptStoreException(what + ": npy frame has unsupported shape " + java.util.Arrays.toString(s));
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

    /** The npy array of an image, as {@code np.save} of imgstore's array would write it. */
    public static NpyArray toNpy(Image image) {
        String descr = image.pixelType() == PixelType.UINT8 ? "|u1" : "<u2";
        return new NpyArray(descr, image.shape(), image.data());
    }

    @Override
    public void close() {
        // nothing held open between reads
    }
}
