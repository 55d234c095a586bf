package io.imgstore.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The byte size of each GOP of a video chunk, from its packets (FFmpeg's demuxer, independent of
 * the library's reader): the packets of a GOP are the keyframe's and those up to the next keyframe,
 * in file order. Frame {@code i} of a fixed-interval chunk is in GOP {@code i / interval}.
 */
public final class GopSizes {

    private GopSizes() {
    }

    /** The summed packet sizes of each GOP of the video stream, in file order. */
    public static List<Long> of(Path chunk) throws Exception {
        List<Long> gops = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(chunk.toFile())) {
            g.start();
            int video = g.getVideoStream();
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (p.stream_index() == video) {
                    if ((p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0 || gops.isEmpty()) {
                        gops.add(0L);
                    }
                    gops.set(gops.size() - 1, gops.get(gops.size() - 1) + p.size());
                }
                avcodec.av_packet_unref(p);
            }
            g.stop();
        }
        return gops;
    }
}
