package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
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
        AVCodec c = avcodec_find_encoder_by_name("libopenh264");
        if (c != null && !c.isNull()) {
            return "libopenh264 (BSD-2-Clause, Cisco OpenH264; FFmpeg build " + shortLicense(ffmpegLicense) + ")";
        }
        c = avcodec_find_encoder(AV_CODEC_ID_H264);
        if (c != null && !c.isNull()) {
            String name = c.name().getString();
            String lic = name.equals("libx264") ? "GPL-2.0+, x264" : "see the encoder's licence";
            return name + " (" + lic + "; FFmpeg build " + shortLicense(ffmpegLicense) + ")";
        }
        return null;
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
