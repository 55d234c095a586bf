package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Motif chunk (libx264, B-frames) remuxed so its timestamps do not start at zero (mkv: shifted;
 * mp4: no edit list to hide the B-frame delay, as some recorders write): still frame-exact.
 */
class OffsetTimestampsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} offset {1} frames")
    @CsvSource({"mp4, 10", "matroska, 7", "mp4, 1"})
    void nonZeroStartWithBFrames(String muxer, int offsetFrames) {
        Path src = Fixtures.require().resolve("real/motif_store_mp4/000000.mp4");
        Path dst = tmp.resolve("offset." + (muxer.equals("mp4") ? "mp4" : "mkv"));
        remuxWithOffset(src, dst, muxer, offsetFrames);
        try (VideoChunkReader r = VideoChunkReader.open(dst, false)) {
            assertEquals(100, r.frameCount());
            // mkv keeps the offset; the mp4 muxer restarts decoding time at 0, which without an edit
            // list leaves the first frame at the B-frame delay (2 frames): non-zero either way
            double first = r.presentationTime(0);
            assertTrue(muxer.equals("mp4") ? first > 0.03 : first >= offsetFrames / 25.0 - 1e-6,
                    "first frame at " + first + " s");
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(offsetFrames));
            for (int idx : order) {
                assertEquals(idx, Barcode.decodeStrict(r.read(idx)), "frame " + idx);
            }
            assertEquals(0, r.retryCount());
        }
    }

    /** Copies the video packets, shifting every timestamp by {@code offsetFrames} frame durations. */
    static void remuxWithOffset(Path src, Path dst, String muxer, int offsetFrames) {
        AVFormatContext in = new AVFormatContext(null);
        assertEquals(0, avformat_open_input(in, src.toString(), null, null));
        AVFormatContext out = new AVFormatContext(null);
        AVPacket pkt = av_packet_alloc();
        AVIOContext pb = new AVIOContext(null);
        AVDictionary opts = new AVDictionary(null);
        try {
            avformat_find_stream_info(in, (AVDictionary) null);
            AVStream ist = in.streams(0);
            assertTrue(avformat_alloc_output_context2(out, null, muxer, dst.toString()) >= 0);
            AVStream ost = avformat_new_stream(out, null);
            avcodec_parameters_copy(ost.codecpar(), ist.codecpar());
            ost.codecpar().codec_tag(0);
            ost.time_base(ist.time_base());
            assertTrue(avio_open(pb, dst.toString(), AVIO_FLAG_WRITE) >= 0);
            out.pb(pb);
            if (muxer.equals("mp4")) {
                av_dict_set(opts, "use_editlist", "0", 0);
            }
            assertTrue(avformat_write_header(out, opts) >= 0);
            // frame duration in the input time base (25 fps)
            long frameTicks = Math.round(ist.time_base().den() / (25.0 * ist.time_base().num()));
            long offset = offsetFrames * frameTicks;
            while (av_read_frame(in, pkt) >= 0) {
                if (pkt.stream_index() == 0) {
                    if (pkt.pts() != AV_NOPTS_VALUE) {
                        pkt.pts(pkt.pts() + offset);
                    }
                    if (pkt.dts() != AV_NOPTS_VALUE) {
                        pkt.dts(pkt.dts() + offset);
                    }
                    av_packet_rescale_ts(pkt, ist.time_base(), ost.time_base());
                    pkt.stream_index(0);
                    pkt.pos(-1);
                    assertTrue(av_interleaved_write_frame(out, pkt) >= 0);
                } else {
                    av_packet_unref(pkt);
                }
            }
            assertEquals(0, av_write_trailer(out));
        } finally {
            av_dict_free(opts);
            av_packet_free(pkt);
            if (!pb.isNull()) {
                avio_closep(pb);
            }
            if (!out.isNull()) {
                avformat_free_context(out);
            }
            avformat_close_input(in);
        }
    }
}
