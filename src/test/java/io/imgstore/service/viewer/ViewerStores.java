package io.imgstore.service.viewer;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Barcode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The stores the viewer tests look at: every frame shows its frame number as a barcode. */
final class ViewerStores {

    static final int H = 48;
    static final int W = 160;
    /** 2024-05-01 11:00:00 UTC. */
    static final double T0 = 1714561200.0;
    static final double FPS = 30.0;

    /** lab/rig1/gray_npy: 300 gray frames, numbers 1000, 1002, ... (gaps), 30 fps, extra data every 10 frames. */
    static final String GRAY = "lab/rig1/gray_npy";
    static final int GRAY_FRAMES = 300;
    /** lab/rig2/colour_png: 40 BGR frames numbered 0.. */
    static final String COLOUR = "lab/rig2/colour_png";
    static final int COLOUR_FRAMES = 40;
    /** video/clip_mp4: 60 gray frames in an avc1/mp4 store (lossy). */
    static final String VIDEO = "video/clip_mp4";
    static final int VIDEO_FRAMES = 60;

    /** lab/rig3/dim16_npy: 10 dim uint16 gray frames (12-bit range: 0 and 4095), numbers 4660 (0x1234).. */
    static final String DIM16 = "lab/rig3/dim16_npy";
    static final int DIM16_FRAMES = 10;
    static final int DIM16_BRIGHT = 4095;
    /** lab/rig3/dim16_bgr_npy: 3 dim uint16 BGR frames (0 and 4095), numbers 4660.. */
    static final String DIM16_BGR = "lab/rig3/dim16_bgr_npy";
    /** lab/rig3/dim8_npy: 5 dim uint8 gray frames (0 and 60), numbers 4660.. */
    static final String DIM8 = "lab/rig3/dim8_npy";
    static final int DIM8_BRIGHT = 60;

    static long dimNumber(int index) {
        return 0x1234L + index;
    }

    private ViewerStores() {
    }

    static long grayNumber(int index) {
        return 1000L + 2L * index;
    }

    static double time(int index) {
        return T0 + index / FPS;
    }

    static void create(Path root) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("experiment", "viewer-test");
        user.put("animal", Map.of("species", "D. melanogaster", "id", 3));
        try (ImgStoreWriter w = ImgStoreWriter.create(root.resolve(GRAY),
                StoreSpec.of(StoreFormat.NPY, H, W).withChunksize(50).withUserMetadata(user))) {
            for (int i = 0; i < GRAY_FRAMES; i++) {
                w.addImage(Barcode.draw(grayNumber(i), H, W, 1, PixelType.UINT8), grayNumber(i), time(i));
                if (i % 10 == 0) {
                    w.addExtraData(Map.of("temperature", 20 + i / 100.0, "speed", (i % 60) / 6.0, "label", "x" + i));
                }
            }
        }
        try (ImgStoreWriter w = ImgStoreWriter.create(root.resolve(COLOUR),
                StoreSpec.of(StoreFormat.PNG, H, W, 3).withChunksize(16))) {
            for (int i = 0; i < COLOUR_FRAMES; i++) {
                w.addImage(Barcode.draw(i, H, W, 3, PixelType.UINT8), i, time(i));
            }
        }
        try (ImgStoreWriter w = ImgStoreWriter.create(root.resolve(DIM16),
                StoreSpec.of(StoreFormat.NPY, H, W).withPixelType(PixelType.UINT16).withChunksize(10))) {
            for (int i = 0; i < DIM16_FRAMES; i++) {
                w.addImage(dimFrame(dimNumber(i), 1, PixelType.UINT16, DIM16_BRIGHT), dimNumber(i), time(i));
            }
        }
        try (ImgStoreWriter w = ImgStoreWriter.create(root.resolve(DIM16_BGR),
                StoreSpec.of(StoreFormat.NPY, H, W, 3).withPixelType(PixelType.UINT16).withChunksize(10))) {
            for (int i = 0; i < 3; i++) {
                w.addImage(dimFrame(dimNumber(i), 3, PixelType.UINT16, DIM16_BRIGHT), dimNumber(i), time(i));
            }
        }
        try (ImgStoreWriter w = ImgStoreWriter.create(root.resolve(DIM8), StoreSpec.of(StoreFormat.NPY, H, W).withChunksize(10))) {
            for (int i = 0; i < 5; i++) {
                w.addImage(dimFrame(dimNumber(i), 1, PixelType.UINT8, DIM8_BRIGHT), dimNumber(i), time(i));
            }
        }
        try (ImgStoreWriter w = ImgStoreWriter.create(root.resolve(VIDEO),
                StoreSpec.of(StoreFormat.AVC1_MP4, H, W).withChunksize(25))) {
            for (int i = 0; i < VIDEO_FRAMES; i++) {
                w.addImage(Barcode.draw(i, H, W, 1, PixelType.UINT8), i, time(i));
            }
        }
    }

    /** The barcode of {@code number} with bright = {@code bright} (a dim recording). */
    static Image dimFrame(long number, int channels, PixelType type, int bright) {
        Image img = Barcode.draw(number, H, W, channels, type);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < channels; c++) {
                    img.setSample(y, x, c, img.sample(y, x, c) > 0 ? bright : 0);
                }
            }
        }
        return img;
    }

    /** A small gray NPY store with frames 0..n-1. */
    static void small(Path dir, int n) {
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, H, W).withChunksize(10))) {
            for (int i = 0; i < n; i++) {
                w.addImage(Barcode.draw(i, H, W, 1, PixelType.UINT8), i, time(i));
            }
        }
    }
}
