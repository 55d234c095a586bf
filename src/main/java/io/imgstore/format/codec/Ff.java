package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.Loader;

/** Small FFmpeg helpers shared by the reader and the writer. */
final class Ff {

    /** AVERROR(EAGAIN) of this platform: EAGAIN is 35 on Apple systems, 11 on Linux, Android and Windows. */
    static final int EAGAIN = -(Loader.getPlatform().startsWith("macosx") || Loader.getPlatform().startsWith("ios")
            ? 35 : 11);
    /** libavcodec's FF_THREAD_FRAME and FF_THREAD_SLICE (not mapped by the presets). */
    static final int THREAD_FRAME = 1;
    static final int THREAD_SLICE = 2;

    static {
        // FFmpeg logs warnings (deprecated yuvj formats, ...) to stderr by default; keep errors only.
        av_log_set_level(AV_LOG_ERROR);
    }

    private Ff() {
    }

    /** Forces the static initialiser (log level) before the first FFmpeg call. */
    static void init() {
        // nothing: loading the class is the point
    }

    /** FFmpeg's message for an error code, e.g. "Invalid data found when processing input". */
    static String err(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + code + ")";
    }
}
