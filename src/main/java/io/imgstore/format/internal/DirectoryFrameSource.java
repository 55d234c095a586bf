package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.npy.NpyArray;
import io.imgstore.format.npy.NpyImages;
import io.imgstore.format.storage.StoreFiles;
import java.nio.file.Path;

/** Frames of a {@code DirectoryImgStore}: {@code NNNNNN/MMMMMM.<format>} image files. */
public final class DirectoryFrameSource implements FrameSource {

    private final StoreFiles files;
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
        this(StoreFiles.LOCAL, baseDir, format, color, imgshape, pixelType);
    }

    /** As above, every frame file read through {@code files}. */
    public DirectoryFrameSource(StoreFiles files, Path baseDir, StoreFormat format, boolean color, int[] imgshape,
                                PixelType pixelType) {
        this.files = files;
        this.baseDir = baseDir;
        this.format = format;
        this.color = color;
        this.imgshape = imgshape == null ? null : imgshape.clone();
        this.pixelType = pixelType;
    }

    /** The image file of a frame, as imgstore names it. */
    public static Path framePath(Path baseDir, StoreFormat format, int chunk, int position) {
        return StoreLayout.of(baseDir, format).frameFile(chunk, position);
    }

    @Override
    public Image read(int chunk, int position) {
        Path file = framePath(baseDir, format, chunk, position);
        if (!files.isFile(file)) {
            throw new CorruptStoreException("frame file missing: " + baseDir.relativize(file));
        }
        if (format == StoreFormat.NPY) {
            return NpyImages.read(files, file, imgshape, pixelType);
        }
        return imgshape == null ? ImageCodec.read(files, file, color, -1, -1)
                : ImageCodec.read(files, file, color, imgshape[0], imgshape[1]);
    }

    /** Reads an npy frame of any shape; see {@link NpyImages#read(Path)}. */
    public static Image readNpy(Path file) {
        return NpyImages.read(file);
    }

    /** See {@link NpyImages#read(Path, int[], PixelType)}. */
    public static Image readNpy(Path file, int[] expectedShape, PixelType expectedType) {
        return NpyImages.read(file, expectedShape, expectedType);
    }

    /** See {@link NpyImages#toImage}. */
    public static Image toImage(NpyArray a, String what) {
        return NpyImages.toImage(a, what);
    }

    /** See {@link NpyImages#toNpy}. */
    public static NpyArray toNpy(Image image) {
        return NpyImages.toNpy(image);
    }

    @Override
    public void close() {
        // nothing held open between reads
    }
}
