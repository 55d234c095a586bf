package io.imgstore.format;

import java.util.List;
import java.util.Locale;

/**
 * A store format as written in the {@code format} key of {@code metadata.yaml}: an image file
 * type for {@code DirectoryImgStore} ({@code png}, {@code npy}, ...) or a codec/container pair for
 * {@code VideoImgStore} ({@code avc1/mp4}, ...).
 *
 * @param name      the format key as imgstore writes it
 * @param video     true for video chunk formats
 * @param extension file extension of chunk files, with the dot ({@code .png}, {@code .mp4})
 * @param lossless  whether frames read back exactly as written
 */
public record StoreFormat(String name, boolean video, String extension, boolean lossless) {

    public static final StoreFormat TIF = dir("tif", true);
    public static final StoreFormat PNG = dir("png", true);
    public static final StoreFormat JPG = dir("jpg", false);
    public static final StoreFormat PPM = dir("ppm", true);
    public static final StoreFormat PGM = dir("pgm", true);
    public static final StoreFormat BMP = dir("bmp", true);
    public static final StoreFormat NPY = dir("npy", true);
    public static final StoreFormat MJPEG_AVI = new StoreFormat("mjpeg/avi", true, ".avi", false);
    public static final StoreFormat H264_MKV = new StoreFormat("h264/mkv", true, ".mkv", false);
    public static final StoreFormat AVC1_MP4 = new StoreFormat("avc1/mp4", true, ".mp4", false);

    /** Every format this library reads and writes, in imgstore's {@code get_supported_formats()} spirit. */
    public static final List<StoreFormat> SUPPORTED =
            List.of(TIF, PNG, JPG, PPM, PGM, BMP, NPY, MJPEG_AVI, H264_MKV, AVC1_MP4);

    private static StoreFormat dir(String name, boolean lossless) {
        return new StoreFormat(name, false, "." + name, lossless);
    }

    /** The imgstore class that holds this format. */
    public String storeClass() {
        return video ? "VideoImgStore" : "DirectoryImgStore";
    }

    /**
     * Parses a {@code format} value. Accepts imgstore's aliases: {@code mjpeg} (old mjpeg stores),
     * and for reading only, old Motif names such as {@code libx264} (with the store's extension).
     *
     * @throws UnsupportedFormatException for {@code bpk} and unknown names
     */
    public static StoreFormat of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("mjpeg")) {
            return MJPEG_AVI;
        }
        for (StoreFormat f : SUPPORTED) {
            if (f.name.equals(n)) {
                return f;
            }
        }
        if (n.equals("bpk")) {
            throw new UnsupportedFormatException("format 'bpk' (bloscpack) is not supported by imgstore-java");
        }
        throw new UnsupportedFormatException("unknown store format '" + name + "'; supported: "
                + SUPPORTED.stream().map(StoreFormat::name).toList());
    }

    /**
     * The format of a video store whose {@code format} key is not one of imgstore's names (Motif's
     * {@code libx264}, {@code h264_nvenc}, ...): any codec FFmpeg decodes, chunk files by {@code extension}.
     */
    public static StoreFormat foreignVideo(String name, String extension) {
        return new StoreFormat(name, true, extension, false);
    }

    @Override
    public String toString() {
        return name;
    }
}
