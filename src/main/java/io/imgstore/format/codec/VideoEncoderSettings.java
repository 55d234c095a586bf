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

    public static VideoEncoderSettings defaults() {
        throw new UnsupportedOperationException("TODO");
    }
}
