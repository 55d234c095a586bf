package io.imgstore.docker;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Run inside the image by {@link ImgstoreContainerIT} (through Spring Boot's PropertiesLauncher,
 * with the fat jar's libraries): loads the FFmpeg and OpenCV natives as the image's non-root user,
 * which proves the base image has every system library they link against and that JavaCPP can
 * unpack them, then uses each once. Prints {@link #OK} on success.
 */
public final class NativeProbe {

    static final String OK = "NATIVE-PROBE-OK";

    private NativeProbe() {
    }

    public static void main(String[] args) throws Exception {
        for (Class<?> preset : new Class<?>[] {avutil.class, avcodec.class, avformat.class, swscale.class,
                opencv_core.class, opencv_imgcodecs.class}) {
            System.out.println("loaded " + preset.getSimpleName() + ": " + Loader.load(preset));
        }
        if (avcodec.avcodec_find_decoder(avcodec.AV_CODEC_ID_H264) == null) {
            throw new IllegalStateException("FFmpeg has no H.264 decoder");
        }
        System.out.println("ffmpeg " + avutil.av_version_info().getString());
        try (Mat white = new Mat(8, 32, opencv_core.CV_8UC1, new Scalar(255.0));
             BytePointer png = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(".png", white, png) || png.limit() == 0) {
                throw new IllegalStateException("OpenCV could not encode a PNG");
            }
            System.out.println("opencv " + opencv_core.CV_VERSION() + " encoded a " + png.limit() + "-byte PNG");
        }
        System.out.println("cache " + Loader.getCacheDir());
        System.out.println(OK);
    }
}
