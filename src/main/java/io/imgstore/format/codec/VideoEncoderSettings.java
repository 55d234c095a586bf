package io.imgstore.format.codec;

/**
 * How video chunks are encoded. Defaults are chosen by measurement (see README, "Performance").
 *
 * @param keyframeInterval frames between keyframes (GOP size): small makes random reads cheap, large makes files small
 * @param quality          codec-specific quality knob: for H.264 a target bitrate in kbit/s per megapixel at 25 fps
 *                         (openh264 has no CRF), for MJPEG the qscale (2 best .. 31 worst)
 * @param preset           encoder speed/size trade-off name ("fast", "medium", ...), ignored where the encoder has none
 * @param fragmented       write a container that stays playable if the writer is killed (fragmented mp4; mkv and avi
 *                         are always readable up to the last written cluster)
 */
public record VideoEncoderSettings(int keyframeInterval, int quality, String preset, boolean fragmented) {

    /** Default H.264 keyframe interval (frames); see {@link #defaults()}. */
    public static final int DEFAULT_KEYFRAME_INTERVAL = 25;
    /** Default H.264 target bitrate, kbit/s per megapixel at 25 fps; see {@link #defaults()}. */
    public static final int DEFAULT_H264_KBPS_PER_MEGAPIXEL = 2000;
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
        return new VideoEncoderSettings(DEFAULT_KEYFRAME_INTERVAL, DEFAULT_H264_KBPS_PER_MEGAPIXEL, "medium", false);
    }

    /** Defaults for MJPEG: the same settings with {@link #DEFAULT_MJPEG_QSCALE} as quality. */
    public static VideoEncoderSettings mjpegDefaults() {
        return new VideoEncoderSettings(DEFAULT_KEYFRAME_INTERVAL, DEFAULT_MJPEG_QSCALE, "medium", false);
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
