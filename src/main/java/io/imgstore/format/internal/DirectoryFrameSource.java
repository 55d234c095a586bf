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

    public DirectoryFrameSource(Path baseDir, StoreFormat format, boolean color) {
        this.baseDir = baseDir;
        this.format = format;
        this.color = color;
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
        return format == StoreFormat.NPY ? readNpy(file) : ImageCodec.read(file, color);
    }

    /** Reads an npy frame ({@code [h, w]} or {@code [h, w, c]}, uint8 or uint16). */
    public static Image readNpy(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return toImage(Npy.read(new java.io.BufferedInputStream(in)), file.getFileName().toString());
        } catch (NoSuchFileException e) {
            throw new FrameNotFoundException("frame file missing: " + file.getFileName());
        } catch (IOException e) {
            throw new CorruptStoreException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
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
