package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.avformat.AVFormatContext.AVFMT_FLAG_CUSTOM_IO;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.imgstore.format.ImgStoreException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Clips without re-encoding: the H.264 packets of runs of consecutive frames of video chunks
 * (avc1/mp4 stores) are copied into one fragmented mp4
 * ({@code movflags=frag_keyframe+empty_moov+default_base_moof}) written to a stream, with the
 * codec parameters of the first chunk. Packets are demuxed with {@code av_read_frame} and written
 * with {@code av_interleaved_write_frame}; frame {@code k} of the clip gets the timestamp
 * {@code k / fps}, so time runs on continuously across chunks.
 *
 * <p>{@link #plan} decides, from the packets alone (nothing decoded), whether the runs can be
 * copied frame-exactly: one H.264 yuv420p video stream per chunk, the same codec parameters
 * (size, extradata) in every chunk, each run starting on a keyframe, packets in presentation order
 * (no B-frames, so the n-th packet is the n-th frame, as {@link FrameTable} orders them) and enough
 * packets. Otherwise it gives the reason and the caller re-encodes ({@link FragmentedMp4Writer}).
 *
 * <p>Chunk files are read through a {@link StoreFiles}, as {@link VideoChunkReader#open(StoreFiles,
 * Path, boolean)} reads them: a {@linkplain StoreFiles#localFile local file} by path (FFmpeg's own
 * file I/O, the fast path), any other (object storage, memory) through a {@link ChannelAvio} over
 * {@link StoreFiles#newChannel}. The caller gives paths its {@code StoreFiles} checks against its
 * root ({@link #plan(List)} reads local files, {@link StoreFiles#LOCAL}).
 *
 * <p>Each chunk's packets are demuxed twice, once by {@link #plan} and once by {@link Plan#copy}:
 * the decision (copy or re-encode, the response's {@code X-Clip-Mode}) is made before anything is
 * written, and keeping the packets between the two would hold the whole clip in memory.
 *
 * <p>Native memory (format contexts, custom I/O contexts with their buffers and channels, packets,
 * the output I/O context and its buffer, the option dictionary) is freed before each method
 * returns, also on failure.
 */
public final class ClipRemuxer {

    /** Frames {@code first .. first + count - 1} (positions in presentation order) of one chunk file. */
    public record Run(Path file, int first, int count) {
        public Run {
            if (first < 0 || count < 1) {
                throw new IllegalArgumentException("bad run " + first + "+" + count);
            }
        }
    }

    /** Runs that {@link #plan} found copyable. */
    public static final class Plan {
        private final StoreFiles files;
        private final List<Run> runs;
        private final int frames;

        private Plan(StoreFiles files, List<Run> runs) {
            this.files = files;
            this.runs = List.copyOf(runs);
            this.frames = runs.stream().mapToInt(Run::count).sum();
        }

        public int frames() {
            return frames;
        }

        /**
         * Writes the clip to {@code out} (not closed).
         *
         * @param fps the frame rate of the clip (timestamps {@code k / fps})
         * @throws UncheckedIOException when {@code out} fails (client gone)
         * @throws ImgStoreException    when a chunk cannot be read or the muxer fails
         */
        public void copy(double fps, OutputStream out) {
            remux(files, runs, fps, out);
        }
    }

    /** The result of {@link #plan}: a plan, or why the runs cannot be copied. */
    public record Decision(Optional<Plan> plan, String reason) {
    }

    private static final int IO_BUFFER = 1 << 16;
    private static final AtomicLong SINK_IDS = new AtomicLong();
    private static final Map<Long, Sink> SINKS = new ConcurrentHashMap<>();
    /**
     * One write callback for all remuxers: JavaCPP callbacks are native thunks, of which a class may
     * allocate only a few, so (as JavaCV's {@code FFmpegFrameRecorder}) the opaque pointer names the
     * stream to write to.
     */
    private static final WriteCallback WRITE = new WriteCallback();

    private ClipRemuxer() {
    }

    /** {@link #plan(StoreFiles, List)} of local chunk files ({@link StoreFiles#LOCAL}). */
    public static Decision plan(List<Run> runs) {
        return plan(StoreFiles.LOCAL, runs);
    }

    /**
     * Whether {@code runs} (in clip order) of chunk files read through {@code files} can be copied
     * without re-encoding; demuxes packets only.
     *
     * @throws ImgStoreException when a chunk cannot be opened
     */
    public static Decision plan(StoreFiles files, List<Run> runs) {
        Ff.init();
        if (runs.isEmpty()) {
            return new Decision(Optional.empty(), "no frames");
        }
        ChunkParams first = null;
        for (Run run : runs) {
            String why;
            try (DemuxerInput input = DemuxerInput.open(files, run.file())) {
                AVFormatContext in = input.ctx();
                int stream = videoStream(in);
                if (stream < 0) {
                    return new Decision(Optional.empty(), run.file().getFileName() + ": not one video stream");
                }
                AVCodecParameters par = in.streams(stream).codecpar();
                ChunkParams p = ChunkParams.of(par);
                if (p.codecId != AV_CODEC_ID_H264) {
                    return new Decision(Optional.empty(), "codec is not H.264");
                }
                if (p.format != AV_PIX_FMT_YUV420P && p.format != AV_PIX_FMT_YUVJ420P) {
                    return new Decision(Optional.empty(), "pixel format is not yuv420p");
                }
                if (first == null) {
                    first = p;
                } else if (!first.equals(p)) {
                    return new Decision(Optional.empty(), "codec parameters differ between chunks");
                }
                why = scan(in, stream, run);
            }
            if (why != null) {
                return new Decision(Optional.empty(), run.file().getFileName() + ": " + why);
            }
        }
        return new Decision(Optional.of(new Plan(files, runs)), "copy");
    }

    /** null when the run's packets can be copied, else why not. */
    private static String scan(AVFormatContext in, int stream, Run run) {
        AVPacket pkt = av_packet_alloc();
        if (pkt == null || pkt.isNull()) {
            throw new OutOfMemoryError("av_packet_alloc failed");
        }
        try {
            return scan(in, pkt, stream, run);
        } finally {
            av_packet_free(pkt);
        }
    }

    private static String scan(AVFormatContext in, AVPacket pkt, int stream, Run run) {
        int position = 0;
        long lastPts = Long.MIN_VALUE;
        int end = run.first() + run.count();
        while (position < end) {
            int r = av_read_frame(in, pkt);
            if (r < 0) {
                return "only " + position + " frames, the clip needs " + end;
            }
            try {
                if (pkt.stream_index() != stream) {
                    continue;
                }
                long pts = pkt.pts();
                if (pts == org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE || pts <= lastPts) {
                    return "packets not in presentation order";
                }
                lastPts = pts;
                if (position == run.first() && (pkt.flags() & AV_PKT_FLAG_KEY) == 0) {
                    return "frame " + position + " is not a keyframe";
                }
                position++;
            } finally {
                av_packet_unref(pkt);
            }
        }
        return null;
    }

    private static void remux(StoreFiles files, List<Run> runs, double fps, OutputStream out) {
        Ff.init();
        AVRational rate = av_d2q(fps, 100_000);
        AVRational frameTb = av_inv_q(rate); // one tick per frame
        long id = SINK_IDS.incrementAndGet();
        Sink sink = new Sink(out);
        SINKS.put(id, sink);
        LongPointer opaque = new LongPointer(1);
        opaque.put(id);
        AVFormatContext oc = new AVFormatContext(null);
        AVIOContext avio = null;
        AVDictionary options = new AVDictionary(null);
        AVPacket pkt = av_packet_alloc();
        try {
            check(avformat_alloc_output_context2(oc, null, "mp4", (String) null), "mp4 muxer");
            BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER));
            if (buffer.isNull()) {
                throw new OutOfMemoryError("av_malloc failed");
            }
            avio = avio_alloc_context(buffer, IO_BUFFER, 1, opaque, null, WRITE, null);
            if (avio == null || avio.isNull()) {
                av_free(buffer);
                throw new OutOfMemoryError("avio_alloc_context failed");
            }
            oc.pb(avio);
            oc.flags(oc.flags() | AVFMT_FLAG_CUSTOM_IO);
            AVStream os = avformat_new_stream(oc, null);
            if (os == null || os.isNull()) {
                throw new OutOfMemoryError("avformat_new_stream failed");
            }
            int frame = 0;
            boolean headerWritten = false;
            for (Run run : runs) {
                DemuxerInput input = DemuxerInput.open(files, run.file());
                AVFormatContext in = input.ctx();
                try {
                    int stream = videoStream(in);
                    if (stream < 0) {
                        throw new ImgStoreException(run.file() + ": no video stream");
                    }
                    if (!headerWritten) {
                        check(avcodec_parameters_copy(os.codecpar(), in.streams(stream).codecpar()), "codec parameters");
                        os.codecpar().codec_tag(0); // let the mp4 muxer pick avc1
                        os.time_base(frameTb);
                        os.avg_frame_rate(rate);
                        os.r_frame_rate(rate);
                        av_dict_set(options, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
                        int r = avformat_write_header(oc, options);
                        sink.rethrow();
                        check(r, "mp4 header");
                        headerWritten = true;
                    }
                    AVRational outTb = os.time_base();
                    int position = 0;
                    int end = run.first() + run.count();
                    while (position < end) {
                        int r = av_read_frame(in, pkt);
                        if (r < 0) {
                            throw new ImgStoreException(run.file() + ": ended after " + position + " frames: " + Ff.err(r));
                        }
                        if (pkt.stream_index() != stream) {
                            av_packet_unref(pkt);
                            continue;
                        }
                        if (position < run.first()) {
                            position++;
                            av_packet_unref(pkt);
                            continue;
                        }
                        long ts = av_rescale_q(frame, frameTb, outTb);
                        pkt.stream_index(0);
                        pkt.pts(ts);
                        pkt.dts(ts);
                        pkt.duration(av_rescale_q(frame + 1, frameTb, outTb) - ts);
                        pkt.pos(-1);
                        r = av_interleaved_write_frame(oc, pkt); // takes the packet's reference
                        sink.rethrow();
                        check(r, "writing a packet");
                        frame++;
                        position++;
                    }
                } finally {
                    av_packet_unref(pkt);
                    input.close();
                }
            }
            int r = av_write_trailer(oc);
            avio_flush(avio);
            sink.rethrow();
            check(r, "mp4 trailer");
        } finally {
            av_packet_free(pkt);
            av_dict_free(options);
            if (avio != null && !avio.isNull()) {
                // the muxer may have replaced the buffer: free the one the context holds now
                av_free(avio.buffer());
                avio.buffer(null);
                avio_context_free(avio);
            }
            if (!oc.isNull()) {
                oc.pb(null);
                avformat_free_context(oc);
            }
            opaque.close();
            SINKS.remove(id);
        }
    }

    /** The only video stream's index, or -1 when there is none or more than one. */
    private static int videoStream(AVFormatContext in) {
        int found = -1;
        for (int i = 0; i < in.nb_streams(); i++) {
            if (in.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    private static void check(int r, String what) {
        if (r < 0) {
            throw new ImgStoreException("mp4 stream copy failed (" + what + "): " + Ff.err(r));
        }
    }

    /** The codec parameters that must agree for packets of two chunks to share one stream. */
    private record ChunkParams(int codecId, int format, int width, int height, int profile, int level, byte[] extradata) {
        static ChunkParams of(AVCodecParameters p) {
            byte[] extra = new byte[Math.max(0, p.extradata_size())];
            if (extra.length > 0) {
                p.extradata().get(extra);
            }
            return new ChunkParams(p.codec_id(), p.format(), p.width(), p.height(), p.profile(), p.level(), extra);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChunkParams c && codecId == c.codecId && format == c.format && width == c.width
                    && height == c.height && profile == c.profile && level == c.level
                    && Arrays.equals(extradata, c.extradata);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(extradata) * 31 + width * 7 + height;
        }
    }

    /** Where the muxer's bytes go; an {@link IOException} of the stream is kept and rethrown. */
    private static final class Sink {
        private final OutputStream out;
        private byte[] copy = new byte[IO_BUFFER];
        private IOException failure;

        Sink(OutputStream out) {
            this.out = out;
        }

        int write(BytePointer buf, int size) {
            if (failure != null) {
                return -5; // AVERROR(EIO)
            }
            if (copy.length < size) {
                copy = new byte[size];
            }
            buf.position(0).get(copy, 0, size);
            try {
                out.write(copy, 0, size);
                return size;
            } catch (IOException e) {
                failure = e;
                return -5;
            }
        }

        void rethrow() {
            if (failure != null) {
                throw new UncheckedIOException(failure);
            }
        }
    }

    private static final class WriteCallback extends Write_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            Sink sink = SINKS.get(new LongPointer(opaque).get());
            return sink == null ? -5 : sink.write(buf, size);
        }
    }

    /** For tests: remuxes in progress (their sinks are registered). */
    static int openSinks() {
        return SINKS.size();
    }
}
