package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.UnsupportedFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Writes one video chunk file with constant-frame-rate timestamps (25 fps, as imgstore), so that
 * OpenCV's own frame seeking lands on the right frame. Holds native FFmpeg state until {@link #close()}.
 *
 * <p>Encoding: {@code mjpeg/avi} is MJPEG (yuvj420p, fixed qscale); {@code h264/mkv} and
 * {@code avc1/mp4} are H.264 through libopenh264 (the FFmpeg build is LGPL, so no libx264), no
 * B-frames, an IDR frame every {@link VideoEncoderSettings#keyframeInterval()} frames. Every
 * stream is full range (JPEG levels) with BT.601 colour: gray frames are encoded with
 * {@code Y = gray} and neutral chroma, so a gray frame reads back as written up to compression
 * error, and OpenCV's BGR conversion gives {@code B = G = R = gray}. Frame {@code n} has
 * {@code pts = n} in a 1/25 s time base.
 */
public final class VideoChunkWriter implements AutoCloseable {

    /** imgstore's frame rate for video chunks. */
    public static final int FPS = 25;

    /** H.264 encoder threads (slices) by default; see {@code bench/VideoReadBench}. */
    static final int DEFAULT_ENCODER_THREADS = 1;

    /**
     * System property: how many libopenh264 encoders work at once on alternate groups of pictures
     * (GOP {@code g} goes to encoder {@code g % n}, each on its own thread, packets muxed in frame
     * order); {@code 0} encodes on the caller's thread; {@code auto} (the default) two encoders for
     * frames of a megapixel or more on a machine with two cores or more, else none. Read when a
     * writer is created.
     *
     * <p>For large frames libopenh264 alone is the limit (1920x1200 gray: ~18 ms of CPU per frame,
     * 56 frames/s on one core; two encoders 96-108 frames/s on an idle 2-core machine, the same CPU
     * per frame). The price: each extra encoder and the queued frames cost native memory (up to
     * {@link #PARALLEL_FRAME_BUDGET_BYTES} of frames, about 45 MB more per 1920x1200 writer with a
     * keyframe every 10 frames), the frames in the queue are not yet in the file when the process is
     * killed (one more group of pictures than with one encoder), and files are ~3 % larger (each
     * encoder's rate control sees every other group of pictures). Measured in docs/performance.md,
     * "Writing".
     */
    public static final String PARALLEL_ENCODERS_PROPERTY = "imgstore.encoder.parallel";

    /**
     * Native memory the frames waiting for parallel encoders may take per writer: the caller can be
     * up to one group of pictures per extra encoder ahead. Beyond it (large frames with a long
     * keyframe interval) a single encoder thread is used.
     */
    static final long PARALLEL_FRAME_BUDGET_BYTES = 64L << 20;

    private static final int AVC1 = 'a' | ('v' << 8) | ('c' << 16) | ('1' << 24);

    private final Path file;
    private final StoreFormat format;
    private final int height;
    private final int width;
    private final boolean color;
    private final VideoEncoderSettings settings;
    private final int encoderThreads;

    private AVFormatContext oc;
    private AVIOContext pb;
    private AVCodecContext enc;
    private AVStream stream;
    private AVFrame frame;
    private AVPacket pkt;
    private SwsContext sws;
    private BytePointer srcBuf;
    private PointerPointer<BytePointer> srcData;
    private IntPointer srcLinesize;
    private String encoderName = "?";

    private boolean headerWritten;
    private boolean closed;
    private int count;

    // Parallel encoding (parallel > 0): lanes[0] == enc; frames go through a bounded pool of native
    // frames (the caller blocks when it is full), packets come back as futures in frame order.
    private int parallel;
    private AVCodecContext[] lanes;
    private AVPacket[] lanePackets;
    private ExecutorService[] laneThreads;
    private ArrayBlockingQueue<AVFrame> freeFrames;
    private final List<AVFrame> poolFrames = new ArrayList<>();
    private final ArrayDeque<Future<AVPacket>> inFlight = new ArrayDeque<>();
    /** A frame an encoder thread failed on: the file has a gap from there, so nothing more is written. */
    private RuntimeException laneFailure;

    private VideoChunkWriter(Path file, StoreFormat format, int height, int width, boolean color,
                             VideoEncoderSettings settings, int encoderThreads) {
        this.file = file;
        this.encoderThreads = encoderThreads;
        this.format = format;
        this.height = height;
        this.width = width;
        this.color = color;
        this.settings = settings;
    }

    /**
     * Creates the file and the encoder.
     *
     * @param format one of {@link StoreFormat#MJPEG_AVI}, {@link StoreFormat#H264_MKV}, {@link StoreFormat#AVC1_MP4}
     * @param height frame height, must be even
     * @param width  frame width, must be even
     * @param color  whether frames handed to {@link #write} are 3-channel BGR (else 1-channel gray)
     * @throws io.imgstore.format.UnsupportedFormatException if this build has no encoder for the format
     */
    public static VideoChunkWriter create(Path file, StoreFormat format, int height, int width, boolean color,
                                          PixelType pixelType, VideoEncoderSettings settings) {
        return create(file, format, height, width, color, pixelType, settings, DEFAULT_ENCODER_THREADS);
    }

    /**
     * As {@link #create(Path, StoreFormat, int, int, boolean, PixelType, VideoEncoderSettings)} with an
     * explicit number of encoder threads (openh264 splits each frame into that many slices; 0 = one
     * per core). MJPEG ignores it.
     */
    public static VideoChunkWriter create(Path file, StoreFormat format, int height, int width, boolean color,
                                          PixelType pixelType, VideoEncoderSettings settings, int encoderThreads) {
        Ff.init();
        if (encoderThreads < 0) {
            throw new IllegalArgumentException("encoderThreads must be >= 0, got " + encoderThreads);
        }
        if (!format.equals(StoreFormat.MJPEG_AVI) && !format.equals(StoreFormat.H264_MKV)
                && !format.equals(StoreFormat.AVC1_MP4)) {
            throw new UnsupportedFormatException("cannot write video format '" + format.name()
                    + "' (writable: mjpeg/avi, h264/mkv, avc1/mp4)");
        }
        if (pixelType != PixelType.UINT8) {
            throw new UnsupportedFormatException("video stores hold 8-bit frames only, not " + pixelType.dtype());
        }
        if (height <= 0 || width <= 0 || height % 2 != 0 || width % 2 != 0) {
            throw new InvalidImageException("video frame size must be positive and even (4:2:0 chroma), got "
                    + height + "x" + width);
        }
        VideoChunkWriter w = new VideoChunkWriter(file, format, height, width, color,
                settings == null ? VideoEncoderSettings.defaults() : settings, encoderThreads);
        try {
            w.init();
            return w;
        } catch (RuntimeException | Error e) {
            w.release();
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort: the file is incomplete anyway
            }
            throw e;
        }
    }

    private boolean isMjpeg() {
        return format.equals(StoreFormat.MJPEG_AVI);
    }

    private void init() {
        String muxer = isMjpeg() ? "avi" : format.equals(StoreFormat.H264_MKV) ? "matroska" : "mp4";
        String path = file.toAbsolutePath().toString();
        oc = new AVFormatContext(null);
        int r = avformat_alloc_output_context2(oc, null, muxer, path);
        if (r < 0 || oc.isNull()) {
            oc = null;
            throw new UnsupportedFormatException("no " + muxer + " muxer in this FFmpeg build: " + Ff.err(r));
        }
        AVCodec codec = isMjpeg() ? avcodec_find_encoder(AV_CODEC_ID_MJPEG) : findH264Encoder();
        if (codec == null || codec.isNull()) {
            throw new UnsupportedFormatException("this FFmpeg build has no " + (isMjpeg() ? "MJPEG" : "H.264")
                    + " encoder; cannot write " + format.name());
        }
        encoderName = codec.name().getString();
        stream = avformat_new_stream(oc, null);
        if (stream == null || stream.isNull()) {
            throw new OutOfMemoryError("cannot allocate FFmpeg stream");
        }
        int pixFmt = isMjpeg() ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
        try (AVRational tb = av_make_q(1, FPS); AVRational rate = av_make_q(FPS, 1)) {
            stream.time_base(tb);
            stream.avg_frame_rate(rate);
            stream.r_frame_rate(rate);
        }
        enc = openEncoder(codec, pixFmt);
        long frameBytes = (long) width * height * 3 / 2;
        parallel = parallelEncoders(frameBytes);
        if (parallel > 0) {
            lanes = new AVCodecContext[parallel];
            lanePackets = new AVPacket[parallel];
            laneThreads = new ExecutorService[parallel];
            lanes[0] = enc;
            for (int i = 0; i < parallel; i++) {
                if (i > 0) {
                    lanes[i] = openEncoder(codec, pixFmt);
                    // one avcC for the whole file: every encoder must produce the same SPS/PPS
                    if (!sameExtradata(enc, lanes[i])) {
                        throw new ImgStoreException("parallel " + encoderName + " encoders disagree on their "
                                + "parameter sets; set -D" + PARALLEL_ENCODERS_PROPERTY + "=0");
                    }
                }
                lanePackets[i] = av_packet_alloc();
                if (lanePackets[i] == null || lanePackets[i].isNull()) {
                    lanePackets[i] = null;
                    throw new OutOfMemoryError("av_packet_alloc failed");
                }
                laneThreads[i] = Executors.newSingleThreadExecutor(runnable -> {
                    Thread t = new Thread(runnable, "imgstore-h264-encoder");
                    t.setDaemon(true);
                    return t;
                });
            }
        }
        r = avcodec_parameters_from_context(stream.codecpar(), enc);
        if (r < 0) {
            throw new ImgStoreException("cannot set stream parameters: " + Ff.err(r));
        }
        if (format.equals(StoreFormat.AVC1_MP4)) {
            stream.codecpar().codec_tag(AVC1);
        }
        if ((oc.oformat().flags() & AVFMT_NOFILE) == 0) {
            pb = new AVIOContext(null);
            r = avio_open(pb, path, AVIO_FLAG_WRITE);
            if (r < 0) {
                pb = null;
                throw new ImgStoreException("cannot create video file " + file + ": " + Ff.err(r));
            }
            oc.pb(pb);
        }
        AVDictionary muxOpts = new AVDictionary(null);
        try {
            if (format.equals(StoreFormat.AVC1_MP4) && settings.fragmented()) {
                av_dict_set(muxOpts, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
            }
            if (format.equals(StoreFormat.H264_MKV)) {
                // The muxer keeps the open cluster in memory; it closes one at a keyframe only once it
                // holds 4 KiB, else after 5 s. Cap that at 1 s, so a killed writer loses at most ~1 s.
                av_dict_set(muxOpts, "cluster_time_limit", "1000", 0);
            }
            r = avformat_write_header(oc, muxOpts);
            if (r < 0) {
                throw new ImgStoreException("cannot write the header of " + file + ": " + Ff.err(r));
            }
            headerWritten = true;
        } finally {
            av_dict_free(muxOpts);
        }

        pkt = av_packet_alloc();
        if (pkt == null || pkt.isNull()) {
            pkt = null;
            throw new OutOfMemoryError("av_packet_alloc failed");
        }
        if (parallel == 0) {
            frame = newFrame(pixFmt);
        } else {
            int size = poolSize(parallel);
            freeFrames = new ArrayBlockingQueue<>(size);
            for (int i = 0; i < size; i++) {
                AVFrame f = newFrame(pixFmt);
                poolFrames.add(f);
                freeFrames.add(f);
            }
        }
        if (color) {
            // SWS_ACCURATE_RND: without it swscale takes a special BGR24->yuv420p path that ignores
            // the full-range setting below (it writes limited-range values into a full-range stream).
            sws = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, pixFmt,
                    SWS_BILINEAR | SWS_ACCURATE_RND, null, null, (DoublePointer) null);
            if (sws == null || sws.isNull()) {
                sws = null;
                throw new UnsupportedFormatException("cannot convert BGR to " + (isMjpeg() ? "yuvj420p" : "yuv420p"));
            }
            IntPointer coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
            sws_setColorspaceDetails(sws, coefficients, 1, coefficients, 1, 0, 1 << 16, 1 << 16);
            srcBuf = new BytePointer((long) width * height * 3 + 256); // slack: swscale reads whole vectors
            srcData = new PointerPointer<>(4);
            srcData.put(0, srcBuf);
            srcLinesize = new IntPointer(4);
            srcLinesize.put(0, width * 3);
        }
    }

    /** An opened encoder context with this writer's settings; freed here if it cannot be opened. */
    private AVCodecContext openEncoder(AVCodec codec, int pixFmt) {
        AVCodecContext c = avcodec_alloc_context3(codec);
        if (c == null || c.isNull()) {
            throw new OutOfMemoryError("cannot allocate FFmpeg encoder");
        }
        AVDictionary codecOpts = new AVDictionary(null);
        try (AVRational tb = av_make_q(1, FPS); AVRational rate = av_make_q(FPS, 1); AVRational sar = av_make_q(1, 1)) {
            c.width(width).height(height).pix_fmt(pixFmt).time_base(tb).framerate(rate).sample_aspect_ratio(sar);
            c.color_range(AVCOL_RANGE_JPEG);
            if (isMjpeg()) {
                // an H.264 quality (kbit/s per megapixel, e.g. from defaults()) means nothing to MJPEG
                int q = settings.quality() >= 2 && settings.quality() <= 31 ? settings.quality()
                        : VideoEncoderSettings.DEFAULT_MJPEG_QSCALE;
                c.flags(c.flags() | AV_CODEC_FLAG_QSCALE);
                c.global_quality(q * FF_QP2LAMBDA);
                c.qmin(q).qmax(q);
            } else {
                // quality is kbit/s per megapixel: bit/s = quality * 1000 * (pixels / 1e6) = quality * kilopixels
                long kilopixels = Math.max(1, (long) width * height / 1000);
                long bitRate = Math.max(20_000L, (long) settings.quality() * kilopixels);
                c.bit_rate(bitRate);
                c.gop_size(Math.max(1, settings.keyframeInterval()));
                c.max_b_frames(0);
                c.thread_count(encoderThreads);
                if (encoderName.equals("libopenh264")) {
                    av_dict_set(codecOpts, "allow_skip_frames", "0", 0);
                    av_dict_set(codecOpts, "rc_mode", "quality", 0);
                } else {
                    if (settings.preset() != null && !settings.preset().isBlank()) {
                        av_dict_set(codecOpts, "preset", settings.preset(), 0);
                    }
                    // keyframes exactly every keyframeInterval frames (no scene-cut extras): random-read
                    // cost stays what the setting promises
                    av_dict_set(codecOpts, "sc_threshold", "0", 0);
                    c.keyint_min(Math.max(1, settings.keyframeInterval()));
                }
            }
            if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            int r = avcodec_open2(c, codec, codecOpts);
            if (r < 0) {
                throw new UnsupportedFormatException("cannot open " + encoderName + " encoder for " + width + "x"
                        + height + ": " + Ff.err(r));
            }
            return c;
        } catch (RuntimeException | Error e) {
            avcodec_free_context(c);
            throw e;
        } finally {
            av_dict_free(codecOpts);
        }
    }

    /**
     * Parallel encoders for this writer (0: encode on the caller's thread). Only libopenh264: it
     * returns every frame's packet from that frame's own call (no delay, no B-frames), so packets
     * can be put back in frame order; x264 keeps frames for its lookahead and MJPEG is cheap.
     */
    private int parallelEncoders(long frameBytes) {
        if (isMjpeg() || !encoderName.equals("libopenh264")) {
            return 0;
        }
        int n = AutoCount.parse(PARALLEL_ENCODERS_PROPERTY, System.getProperty(PARALLEL_ENCODERS_PROPERTY, "auto"));
        if (n == AutoCount.AUTO) {
            n = AutoCount.secondThreadPays(width, height) ? 2 : 0;
        }
        if (n <= 0) {
            return 0;
        }
        n = Math.min(n, 8);
        if (settings.keyframeInterval() < 2) {
            // consecutive IDR frames from different encoders could carry the same idr_pic_id
            n = 1;
        }
        while (n > 1 && poolSize(n) * frameBytes > PARALLEL_FRAME_BUDGET_BYTES) {
            n--;
        }
        return n;
    }

    /** Native frames for {@code n} parallel encoders: one GOP ahead per extra encoder, plus one queued each. */
    private int poolSize(int n) {
        return settings.keyframeInterval() * (n - 1) + n + 1;
    }

    private static boolean sameExtradata(AVCodecContext a, AVCodecContext b) {
        int n = a.extradata_size();
        if (n != b.extradata_size()) {
            return false;
        }
        if (n == 0) {
            return true;
        }
        byte[] x = new byte[n];
        byte[] y = new byte[n];
        a.extradata().get(x);
        b.extradata().get(y);
        return java.util.Arrays.equals(x, y);
    }

    /** A writable frame of this writer's size with neutral chroma. */
    private AVFrame newFrame(int pixFmt) {
        AVFrame f = av_frame_alloc();
        if (f == null || f.isNull()) {
            throw new OutOfMemoryError("av_frame_alloc failed");
        }
        f.format(pixFmt).width(width).height(height).color_range(AVCOL_RANGE_JPEG);
        int r = av_frame_get_buffer(f, 0);
        if (r < 0) {
            av_frame_free(f);
            throw new OutOfMemoryError("av_frame_get_buffer failed: " + Ff.err(r));
        }
        // Neutral chroma, once: gray frames only ever overwrite the luma plane, and
        // av_frame_make_writable copies the planes when it has to replace the buffer.
        for (int p = 1; p <= 2; p++) {
            Pointer.memset(f.data(p), 128, (long) f.linesize(p) * (height / 2));
        }
        return f;
    }

    /**
     * libx264 where the build has it (the {@code gpl} Maven profile: faster, and presets apply),
     * else libopenh264 (the default LGPL build), else whatever H.264 encoder FFmpeg offers.
     */
    static AVCodec findH264Encoder() {
        Ff.init();
        for (String name : new String[] {"libx264", "libopenh264"}) {
            AVCodec c = avcodec_find_encoder_by_name(name);
            if (c != null && !c.isNull()) {
                return c;
            }
        }
        return avcodec_find_encoder(AV_CODEC_ID_H264);
    }

    /** Encodes one frame; its size must be the writer's. */
    public synchronized void write(Image image) {
        if (closed) {
            throw new IllegalStateException("video chunk writer for " + file + " is closed");
        }
        if (image.height() != height || image.width() != width || image.channels() != (color ? 3 : 1)
                || image.pixelType() != PixelType.UINT8) {
            throw new InvalidImageException("frame " + image + " does not match the video's " + height + "x" + width
                    + (color ? "x3" : "") + " uint8");
        }
        if (parallel > 0) {
            writeParallel(image);
            return;
        }
        fill(frame, image.data());
        frame.pts(count);
        if (isMjpeg()) {
            frame.quality(enc.global_quality());
        }
        encode(frame);
        count++;
    }

    /** Converts (colour) or copies (gray: the luma plane, chroma stays neutral) a frame into {@code f}. */
    private void fill(AVFrame f, byte[] data) {
        int r = av_frame_make_writable(f);
        if (r < 0) {
            throw new ImgStoreException("av_frame_make_writable failed: " + Ff.err(r));
        }
        if (color) {
            srcBuf.position(0).put(data, 0, data.length);
            sws_scale(sws, srcData, srcLinesize, 0, height, f.data(), f.linesize());
        } else {
            BytePointer y = f.data(0);
            int linesize = f.linesize(0);
            if (linesize == width) {
                y.position(0).put(data, 0, data.length);
            } else {
                for (int row = 0; row < height; row++) {
                    y.position((long) row * linesize).put(data, row * width, width);
                }
            }
        }
    }

    /**
     * Parallel path: the frame is copied/converted into a free native frame on the caller's thread
     * (blocking while all are queued: backpressure), handed to the encoder of its group of pictures,
     * and every packet already encoded in frame order is muxed.
     */
    private void writeParallel(Image image) {
        if (laneFailure != null) {
            throw new ImgStoreException("an earlier frame of " + file + " could not be encoded; nothing more is "
                    + "written to it: " + laneFailure.getMessage(), laneFailure);
        }
        muxReady(false);
        AVFrame f;
        try {
            f = freeFrames.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImgStoreException("interrupted while waiting for the encoder of " + file, e);
        }
        try {
            fill(f, image.data());
        } catch (RuntimeException | Error e) {
            freeFrames.add(f);
            throw e;
        }
        int gop = settings.keyframeInterval();
        final long n = count;
        f.pts(n);
        // every group of pictures starts with an IDR frame (it is each encoder's own period too)
        f.pict_type(n % gop == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        int lane = (int) ((n / gop) % parallel);
        inFlight.add(laneThreads[lane].submit(() -> encodeOnLane(lane, f, n)));
        count++;
        muxReady(false);
    }

    /** Runs on encoder {@code lane}'s thread: encodes frame {@code n}, returns its one packet. */
    private AVPacket encodeOnLane(int lane, AVFrame f, long n) {
        AVCodecContext c = lanes[lane];
        AVPacket p = lanePackets[lane];
        AVPacket out = null;
        try {
            int r = avcodec_send_frame(c, f);
            if (r < 0) {
                throw new ImgStoreException("encoding frame " + n + " of " + file + " failed: " + Ff.err(r));
            }
            while (true) {
                r = avcodec_receive_packet(c, p);
                if (r == Ff.EAGAIN || r == AVERROR_EOF) {
                    break;
                }
                if (r < 0) {
                    throw new ImgStoreException("encoding frame " + n + " of " + file + " failed: " + Ff.err(r));
                }
                if (out != null || p.pts() != n) {
                    long pts = p.pts();
                    av_packet_unref(p);
                    throw new ImgStoreException("encoder " + encoderName + " returned a packet out of step (pts "
                            + pts + " for frame " + n + ")");
                }
                out = av_packet_alloc();
                if (out == null || out.isNull()) {
                    out = null;
                    av_packet_unref(p);
                    throw new OutOfMemoryError("av_packet_alloc failed");
                }
                av_packet_move_ref(out, p);
            }
            if (out == null) {
                throw new ImgStoreException("encoder " + encoderName + " returned no packet for frame " + n);
            }
            AVPacket result = out;
            out = null;
            return result;
        } finally {
            if (out != null) {
                av_packet_free(out);
            }
            freeFrames.add(f);
        }
    }

    /** Muxes the packets at the head of the queue that are ready (all of them, waiting, if {@code all}). */
    private void muxReady(boolean all) {
        while (!inFlight.isEmpty() && (all || inFlight.peekFirst().isDone())) {
            AVPacket p;
            try {
                p = inFlight.peekFirst().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImgStoreException("interrupted while waiting for the encoder of " + file, e);
            } catch (ExecutionException e) {
                inFlight.pollFirst();
                Throwable cause = e.getCause();
                laneFailure = cause instanceof RuntimeException re ? re
                        : new ImgStoreException("encoding " + file + " failed: " + cause, cause);
                if (cause instanceof Error err) {
                    throw err;
                }
                throw laneFailure;
            }
            inFlight.pollFirst();
            try {
                writePacket(p);
            } finally {
                av_packet_free(p);
            }
        }
    }

    private void encode(AVFrame f) {
        int r = avcodec_send_frame(enc, f);
        if (r < 0) {
            throw new ImgStoreException("encoding frame " + count + " of " + file + " failed: " + Ff.err(r));
        }
        while (true) {
            r = avcodec_receive_packet(enc, pkt);
            if (r == Ff.EAGAIN || r == AVERROR_EOF) {
                return;
            }
            if (r < 0) {
                throw new ImgStoreException("encoding " + file + " failed: " + Ff.err(r));
            }
            writePacket(pkt);
        }
    }

    /** Muxes one encoded packet (the muxer takes its data; {@code p} is left blank). */
    private void writePacket(AVPacket p) {
        av_packet_rescale_ts(p, enc.time_base(), stream.time_base());
        p.stream_index(stream.index());
        int r = av_interleaved_write_frame(oc, p);
        if (r < 0) {
            throw new ImgStoreException("writing to " + file + " failed: " + Ff.err(r));
        }
        if (pb != null) {
            // Hand what the muxer has finished (avi frames, mkv clusters, mp4 fragments) to the OS,
            // so a killed writer leaves it readable; one write() per frame.
            avio_flush(pb);
        }
    }

    /** Parallel H.264 encoders in use (0: frames are encoded on the caller's thread). */
    public int parallelEncoders() {
        return parallel;
    }

    /** Frames written so far. */
    public int frameCount() {
        return count;
    }

    /** The FFmpeg encoder in use ({@code libopenh264}, {@code mjpeg}). */
    public String encoderName() {
        return encoderName;
    }

    public Path file() {
        return file;
    }

    /** Flushes the encoder, finishes the container and releases native memory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (headerWritten) {
                if (parallel > 0) {
                    if (laneFailure != null) {
                        // frames after the one that failed are not muxed: no gap in the file
                        throw laneFailure;
                    }
                    // libopenh264 holds no frames (checked per packet), so there is nothing to flush
                    muxReady(true);
                } else {
                    encode(null);
                }
                int r = av_write_trailer(oc);
                if (r < 0) {
                    throw new ImgStoreException("cannot finish " + file + ": " + Ff.err(r));
                }
            }
        } finally {
            release();
        }
    }

    /** Frees every native object; safe on a partly initialised writer. */
    private void release() {
        closed = true;
        if (laneThreads != null && !stopLanes()) {
            // an encoder thread still runs native code: freeing its state now could crash the JVM,
            // so it is left to the process (never seen; encoding one frame takes milliseconds)
            return;
        }
        while (!inFlight.isEmpty()) {
            Future<AVPacket> f = inFlight.pollFirst();
            if (f.isDone() && !f.isCancelled()) {
                try {
                    av_packet_free(f.get());
                } catch (InterruptedException | ExecutionException ignored) {
                    // failed or interrupted: it has no packet
                }
            }
        }
        if (lanes != null) {
            for (int i = 1; i < lanes.length; i++) {
                if (lanes[i] != null) {
                    avcodec_free_context(lanes[i]);
                    lanes[i] = null;
                }
            }
            lanes = null;
        }
        if (lanePackets != null) {
            for (int i = 0; i < lanePackets.length; i++) {
                if (lanePackets[i] != null) {
                    av_packet_free(lanePackets[i]);
                    lanePackets[i] = null;
                }
            }
            lanePackets = null;
        }
        for (AVFrame f : poolFrames) {
            av_frame_free(f);
        }
        poolFrames.clear();
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (pkt != null) {
            av_packet_free(pkt);
            pkt = null;
        }
        if (enc != null) {
            avcodec_free_context(enc);
            enc = null;
        }
        if (pb != null) {
            avio_closep(pb);
            pb = null;
        }
        if (oc != null) {
            avformat_free_context(oc);
            oc = null;
        }
        if (srcBuf != null) {
            srcBuf.close();
            srcBuf = null;
        }
        if (srcData != null) {
            srcData.close();
            srcData = null;
        }
        if (srcLinesize != null) {
            srcLinesize.close();
            srcLinesize = null;
        }
    }

    /** Stops the encoder threads (queued frames dropped) and waits for them; false if one did not stop. */
    private boolean stopLanes() {
        boolean stopped = true;
        boolean interrupted = false;
        for (ExecutorService e : laneThreads) {
            if (e == null) {
                continue;
            }
            e.shutdownNow();
            while (true) {
                try {
                    if (!e.awaitTermination(60, TimeUnit.SECONDS)) {
                        stopped = false;
                    }
                    break;
                } catch (InterruptedException ie) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (stopped) {
            laneThreads = null;
        }
        return stopped;
    }

    @Override
    public String toString() {
        return "VideoChunkWriter[" + file + ", " + format + ", " + encoderName + ", " + count + " frames"
                + (closed ? ", closed" : "") + "]";
    }
}
