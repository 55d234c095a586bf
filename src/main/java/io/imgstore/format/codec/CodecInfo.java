package io.imgstore.format.codec;

/** What this build's FFmpeg/OpenCV can do, for the CLI's {@code test} command and the README. */
public final class CodecInfo {

    private CodecInfo() {
    }

    /** Name of the H.264 encoder FFmpeg uses here (e.g. {@code libopenh264}) and its licence, or null if none. */
    public static String h264Encoder() {
        throw new UnsupportedOperationException("TODO");
    }

    /** FFmpeg and OpenCV versions. */
    public static String versions() {
        throw new UnsupportedOperationException("TODO");
    }
}
