package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
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
        enc = avcodec_alloc_context3(codec);
        if (stream == null || stream.isNull() || enc == null || enc.isNull()) {
            throw new OutOfMemoryError("cannot allocate FFmpeg stream/encoder");
        }
        int pixFmt = isMjpeg() ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
        try (AVRational tb = av_make_q(1, FPS); AVRational rate = av_make_q(FPS, 1); AVRational sar = av_make_q(1, 1)) {
            enc.width(width).height(height).pix_fmt(pixFmt).time_base(tb).framerate(rate).sample_aspect_ratio(sar);
            enc.color_range(AVCOL_RANGE_JPEG);
            stream.time_base(tb);
            stream.avg_frame_rate(rate);
            stream.r_frame_rate(rate);
        }
        AVDictionary codecOpts = new AVDictionary(null);
        try {
            if (isMjpeg()) {
                // an H.264 quality (kbit/s per megapixel, e.g. from defaults()) means nothing to MJPEG
                int q = settings.quality() >= 2 && settings.quality() <= 31 ? settings.quality()
                        : VideoEncoderSettings.DEFAULT_MJPEG_QSCALE;
                enc.flags(enc.flags() | AV_CODEC_FLAG_QSCALE);
                enc.global_quality(q * FF_QP2LAMBDA);
                enc.qmin(q).qmax(q);
            } else {
                // quality is kbit/s per megapixel: bit/s = quality * 1000 * (pixels / 1e6) = quality * kilopixels
                long kilopixels = Math.max(1, (long) width * height / 1000);
                long bitRate = Math.max(20_000L, (long) settings.quality() * kilopixels);
                enc.bit_rate(bitRate);
                enc.gop_size(Math.max(1, settings.keyframeInterval()));
                enc.max_b_frames(0);
                enc.thread_count(encoderThreads);
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
                    enc.keyint_min(Math.max(1, settings.keyframeInterval()));
                }
            }
            if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            r = avcodec_open2(enc, codec, codecOpts);
            if (r < 0) {
                throw new UnsupportedFormatException("cannot open " + encoderName + " encoder for " + width + "x"
                        + height + ": " + Ff.err(r));
            }
        } finally {
            av_dict_free(codecOpts);
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

        frame = av_frame_alloc();
        pkt = av_packet_alloc();
        if (frame == null || frame.isNull() || pkt == null || pkt.isNull()) {
            throw new OutOfMemoryError("av_frame_alloc/av_packet_alloc failed");
        }
        frame.format(pixFmt).width(width).height(height).color_range(AVCOL_RANGE_JPEG);
        r = av_frame_get_buffer(frame, 0);
        if (r < 0) {
            throw new OutOfMemoryError("av_frame_get_buffer failed: " + Ff.err(r));
        }
        // Neutral chroma, once: gray frames only ever overwrite the luma plane, and
        // av_frame_make_writable copies the planes when it has to replace the buffer.
        for (int p = 1; p <= 2; p++) {
            Pointer.memset(frame.data(p), 128, (long) frame.linesize(p) * (height / 2));
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
        int r = av_frame_make_writable(frame);
        if (r < 0) {
            throw new ImgStoreException("av_frame_make_writable failed: " + Ff.err(r));
        }
        byte[] data = image.data();
        if (color) {
            srcBuf.position(0).put(data, 0, data.length);
            sws_scale(sws, srcData, srcLinesize, 0, height, frame.data(), frame.linesize());
        } else {
            BytePointer y = frame.data(0);
            int linesize = frame.linesize(0);
            if (linesize == width) {
                y.put(data, 0, data.length);
            } else {
                for (int row = 0; row < height; row++) {
                    y.position((long) row * linesize).put(data, row * width, width);
                }
            }
        }
        frame.pts(count);
        if (isMjpeg()) {
            frame.quality(enc.global_quality());
        }
        encode(frame);
        count++;
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
            av_packet_rescale_ts(pkt, enc.time_base(), stream.time_base());
            pkt.stream_index(stream.index());
            r = av_interleaved_write_frame(oc, pkt);
            if (r < 0) {
                throw new ImgStoreException("writing to " + file + " failed: " + Ff.err(r));
            }
            if (pb != null) {
                // Hand what the muxer has finished (avi frames, mkv clusters, mp4 fragments) to the OS,
                // so a killed writer leaves it readable; one write() per frame.
                avio_flush(pb);
            }
        }
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
                encode(null);
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

    @Override
    public String toString() {
        return "VideoChunkWriter[" + file + ", " + format + ", " + encoderName + ", " + count + " frames"
                + (closed ? ", closed" : "") + "]";
    }
}
