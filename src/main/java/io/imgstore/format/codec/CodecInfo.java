package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_license;
import static org.bytedeco.ffmpeg.global.avutil.av_version_info;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.opencv.global.opencv_core;

/** What this build's FFmpeg/OpenCV can do, for the CLI's {@code test} command and the README. */
public final class CodecInfo {

    private CodecInfo() {
    }

    /** Name of the H.264 encoder FFmpeg uses here (e.g. {@code libopenh264}) and its licence, or null if none. */
    public static String h264Encoder() {
        Ff.init();
        String ffmpegLicense = avcodec_license().getString();
        AVCodec c = VideoChunkWriter.findH264Encoder();
        if (c == null || c.isNull()) {
            return null;
        }
        String name = c.name().getString();
        String lic = switch (name) {
            case "libx264" -> "GPL-2.0+, x264";
            case "libopenh264" -> "BSD-2-Clause, Cisco OpenH264";
            default -> "see the encoder's licence";
        };
        return name + " (" + lic + "; FFmpeg build " + shortLicense(ffmpegLicense) + ")";
    }

    /** Whether this FFmpeg build has a decoder of this name ({@code h264}, {@code mjpeg}, ...). */
    public static boolean hasDecoder(String name) {
        Ff.init();
        AVCodec c = avcodec_find_decoder_by_name(name);
        return c != null && !c.isNull();
    }

    /** Whether this FFmpeg build has an encoder of this name ({@code mjpeg}, {@code libx264}, ...). */
    public static boolean hasEncoder(String name) {
        Ff.init();
        AVCodec c = avcodec_find_encoder_by_name(name);
        return c != null && !c.isNull();
    }

    /** FFmpeg and OpenCV versions. */
    public static String versions() {
        Ff.init();
        return "FFmpeg " + av_version_info().getString() + " (" + avcodec_license().getString() + "), OpenCV "
                + opencv_core.CV_VERSION();
    }

    private static String shortLicense(String l) {
        if (l.startsWith("LGPL")) {
            return "LGPL";
        }
        if (l.startsWith("GPL")) {
            return "GPL";
        }
        return l;
    }
}
