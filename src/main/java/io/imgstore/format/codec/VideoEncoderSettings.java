package io.imgstore.format.codec;

/**
 * How video chunks are encoded. Defaults are chosen by measurement (see README, "Performance", and
 * {@code src/test/java/io/imgstore/format/codec/bench/VideoReadBench}).
 *
 * <p>Measured with libopenh264 on camera-like content (photo texture moving 1 px/frame plus
 * Gaussian noise, 250 frames, gray), CPU time of the reading thread on a shared 2-core machine:
 * median exact random read at keyframe interval 10 and 2000 kbit/s per megapixel is about 2.6 ms at
 * 512x512 and about 21 ms at 1920x1200 (targets 5 and 28 ms); interval 25 gives 4.4 / 31-42 ms and
 * interval 50 gives 7.8 / 78 ms. Hence 10 frames (0.4 s at 25 fps) and 2000 kbit/s per megapixel
 * (0.6 Mbit/s at 512x512, 4.6 Mbit/s at 1920x1200).
 *
 * <p>On camera-like content (fixed texture plus fresh sensor noise on every frame,
 * {@code bench/write-compare.sh}) the bitrate is not what sets the size: openh264's rate control
 * ("quality" mode) overshoots the target on the keyframes, so the file size falls steeply with the
 * interval (1920x1200 gray, per 1,000 frames: about 76 MB at 5, 48 MB at 10, 29 MB at 25, 23 MB at 50,
 * 13 MB at 250) while random reads get slower (thread CPU per read 15, 19, 36, 50, 143 ms). The
 * table is in docs/performance.md, "Writing".
 *
 * @param keyframeInterval frames between keyframes (GOP size): small makes random reads cheap, large makes files small
 * @param quality          codec-specific quality knob: for H.264 a target bitrate in kbit/s per megapixel at 25 fps
 *                         (openh264 has no CRF), for MJPEG the qscale (2 best .. 31 worst; a value outside
 *                         2..31, such as the H.264 default, means {@link #DEFAULT_MJPEG_QSCALE})
 * @param preset           encoder speed/size trade-off name ("fast", "medium", ...), ignored where the encoder has none
 * @param fragmented       write a container that stays playable if the writer is killed (fragmented mp4: readable
 *                         up to the last keyframe; mkv is always readable up to its last cluster, at most ~1 s
 *                         behind, and avi up to the last frame; a plain mp4 is unreadable until closed)
 */
public record VideoEncoderSettings(int keyframeInterval, int quality, String preset, boolean fragmented) {

    /** Default H.264 keyframe interval (frames); see {@link #defaults()}. */
    public static final int DEFAULT_KEYFRAME_INTERVAL = 10;
    /** Default H.264 target bitrate, kbit/s per megapixel at 25 fps; see {@link #defaults()}. */
    public static final int DEFAULT_H264_KBPS_PER_MEGAPIXEL = 2000;
    /** Default x264 preset (libx264 builds only; openh264 has none). */
    public static final String DEFAULT_PRESET = "fast";
    /** Default MJPEG qscale (imgstore/OpenCV's MJPEG writer quality is about this). */
    public static final int DEFAULT_MJPEG_QSCALE = 3;

    public VideoEncoderSettings {
        if (keyframeInterval < 1) {
            throw new IllegalArgumentException("keyframeInterval must be >= 1, got " + keyframeInterval);
        }
        if (quality < 1) {
            throw new IllegalArgumentException("quality must be >= 1, got " + quality);
        }
    }

    public static VideoEncoderSettings defaults() {
        return new VideoEncoderSettings(DEFAULT_KEYFRAME_INTERVAL, DEFAULT_H264_KBPS_PER_MEGAPIXEL, DEFAULT_PRESET, false);
    }

    /** Defaults for MJPEG: the same settings with {@link #DEFAULT_MJPEG_QSCALE} as quality. */
    public static VideoEncoderSettings mjpegDefaults() {
        return new VideoEncoderSettings(DEFAULT_KEYFRAME_INTERVAL, DEFAULT_MJPEG_QSCALE, "medium", false);
    }

    /** The defaults for a format: {@link #mjpegDefaults()} for {@code mjpeg/avi}, else {@link #defaults()}. */
    public static VideoEncoderSettings defaults(io.imgstore.format.StoreFormat format) {
        return io.imgstore.format.StoreFormat.MJPEG_AVI.equals(format) ? mjpegDefaults() : defaults();
    }

    public VideoEncoderSettings withKeyframeInterval(int frames) {
        return new VideoEncoderSettings(frames, quality, preset, fragmented);
    }

    public VideoEncoderSettings withQuality(int q) {
        return new VideoEncoderSettings(keyframeInterval, q, preset, fragmented);
    }

    public VideoEncoderSettings withFragmented(boolean f) {
        return new VideoEncoderSettings(keyframeInterval, quality, preset, f);
    }
}
