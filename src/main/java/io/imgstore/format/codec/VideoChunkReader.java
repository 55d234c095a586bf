package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV21;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.PixelView;
import io.imgstore.format.PixelVisitor;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Frame-exact reads from one video chunk file. One reader serves one thread at a time (callers
 * pool them): reads and {@link #close()} are serialised, so misuse costs waiting, never a crash.
 * Holds native FFmpeg state until {@link #close()}.
 *
 * <p>How it stays exact: {@link #open} builds a table of presentation timestamps and keyframe
 * flags, from the container's index when that is complete and exact (mp4 sample tables and
 * fragments, no frame reordering: opening costs the same for any chunk length), else by
 * demuxing every packet of the video stream once (no decoding); frame {@code i} is the
 * packet with the {@code i}-th smallest presentation timestamp. A random read seeks to the last
 * keyframe at or before the target ({@code AVSEEK_FLAG_BACKWARD}), decodes forward and returns
 * the frame whose timestamp equals the target's; a seek is never trusted alone. If the demuxer
 * lands after the target (or the frame does not come out), the read retries from the previous
 * keyframe and finally from the start of the file. Forward reads that stay inside the current
 * group of pictures (in particular {@code frameIdx = last + 1}) continue decoding without seeking.
 *
 * <p>Pixels: colour output is FFmpeg's swscale conversion to BGR24 (BT.601, the source's range),
 * the same conversion OpenCV's FFmpeg backend uses. Gray output is the luma plane (Y): copied as
 * is for full-range sources (yuvj*, gray, and every file {@link VideoChunkWriter} writes, so gray
 * frames read back as written), and expanded from limited (16..235) to full range by swscale
 * otherwise. For colour content this equals OpenCV's {@code BGR2GRAY} of the decoded frame up to
 * rounding (both are BT.601 luma).
 *
 * <p>Where the bytes come from: {@link #open(Path, boolean)} and a
 * {@linkplain StoreFiles#localFile local} file of {@link #open(StoreFiles, Path, boolean)} are opened
 * by FFmpeg by path; any other file (object storage, memory) is read through a custom I/O context
 * over {@link StoreFiles#newChannel} ({@link ChannelAvio}), created with the demuxer and freed with it
 * ({@link #close()}, and on the re-open of a rewind). {@link #openViaChannel} takes that path for a
 * local file too (tests, benchmarks).
 */
public final class VideoChunkReader implements AutoCloseable {

    /**
     * Decoder threads. Chosen by measurement (see {@code bench/VideoReadBench}): frame threading
     * adds one frame of latency per thread, which costs more than it gives on the short decode
     * runs of random reads on a small machine.
     */
    static final int DEFAULT_DECODER_THREADS = 1;

    /**
     * Decoder threads of the readers stores open ({@link #open(StoreFiles, Path, boolean)}): a number,
     * or {@code auto} (the default, {@link #autoThreads}).
     */
    public static final String THREADS_PROPERTY = "imgstore.reader.threads";

    /** Thread count meaning "choose from the chunk" ({@link #autoThreads}). */
    static final int AUTO_THREADS = AutoCount.AUTO;

    /** Groups of pictures at least this long count as long ({@link #hasLongGroups}). */
    static final int LONG_GROUP = 32;

    /** {@link #THREADS_PROPERTY}'s value: {@code auto}, or a thread count of 0 or more. */
    static int threadsSetting(String value) {
        return AutoCount.parse(THREADS_PROPERTY, value);
    }

    /**
     * Decoder threads for a chunk: two frame threads for frames of a megapixel or more, one below.
     * Measured with one client (the other core idle) on camera-like 1920x1200 gray: a random frame of
     * our ingest's stores (keyframe every 10) over HTTP, median 22.5-24.1 ms vs 26.9-27.6 ms with one
     * thread at about the same CPU per frame; of a Python imgstore chunk (keyframe every 250,
     * {@code LongGopBench}) 1.2x faster at ~18 % more CPU. Small frames: no gain (512x512 colour
     * 0.83-0.93x), so one thread, which also keeps concurrent readers from competing for cores.
     */
    static int autoThreads(int width, int height) {
        return AutoCount.secondThreadPays(width, height) ? 2 : 1;
    }

    /**
     * Build the frame table from the container index when it is complete ({@link #indexTable()});
     * {@code -Dimgstore.reader.indexOpen=false} demuxes every packet instead (the old way, kept for
     * the side-by-side benchmark {@code bench/perf-compare.sh}).
     */
    public static final String INDEX_OPEN_PROPERTY = "imgstore.reader.indexOpen";

    /** Give up after this many consecutive decoder errors (garbage data). */
    private static final int MAX_DECODE_ERRORS = 64;

    private final Path file;
    private final boolean color;
    private final int threads;
    private int decoderThreads = 1;
    /** Where the file is read from when {@link #viaChannel}. */
    private final StoreFiles files;
    /** True: FFmpeg reads through a {@link ChannelAvio} over {@link StoreFiles#newChannel}; false: by path. */
    private final boolean viaChannel;
    /** The open demuxer ({@link #fmt} is its context), with its custom I/O when {@link #viaChannel}. */
    private DemuxerInput input;

    private AVFormatContext fmt;
    private AVCodecContext dec;
    private AVPacket pkt;
    private AVFrame frame;
    private SwsContext sws;
    private BytePointer convBuf;
    private long convBufSize;
    private PointerPointer<BytePointer> convData;
    private IntPointer convLinesize;

    private int streamIndex = -1;
    private int timeBaseNum = 1;
    private int timeBaseDen = 1;
    private FrameTable table;
    private String codecName = "?";
    /** The frame the decoder last returned, or -1 if its position is unknown (then the next read seeks). */
    private int lastIdx = -1;
    private boolean demuxEof;
    private boolean closed;
    private boolean tableFromIndex;
    /** The last frame returned (for {@link #readNext()}); the decoder may be elsewhere after a cache hit. */
    private int returnedIdx = -1;
    /**
     * Packets whose presentation timestamp is below this are on the way to a target: the decoder
     * drops those no other frame refers to ({@code AVDISCARD_NONREF}); see {@link #feed()}.
     */
    private long skipNonRefBelow = Long.MIN_VALUE;
    private boolean skippingNonRef;
    private final DecodedFrameCache cache = DecodedFrameCache.shared();
    /** This file's identity in {@link DecodedFrameCache}, or null: frames of this reader are not cached. */
    private Object cacheId;

    /**
     * Frames at least this far from their keyframe go to the {@link DecodedFrameCache}, with the
     * frames decoded on the way to them; nearer frames are cheaper to decode again than to copy
     * (measured: the copy cost 5-7 % on random reads of 1920x1200 frames, keyframe every 10).
     */
    static final int CACHE_MIN_RUN = 16;

    /**
     * Whether the current read keeps the frames it decodes on the way: only when the previous read of
     * this file (any reader of the process) was at most {@link #keepWindow()} frames from the target,
     * i.e. a viewer stepping backwards or scrubbing. Uniform random reads seldom come back
     * that close, and converting frames they never read again cost 15-20 % more CPU per read
     * (measured over HTTP on a Python imgstore 512x512 colour store, keyframe every 250: 29.3-31.2
     * vs 25.3-25.5 ms with the cache off). {@code -Dimgstore.frameCache.keepAlways=true}: the old
     * rule (every long run), for benchmarks.
     */
    private boolean keepOnTheWay;

    /** See {@link #keepOnTheWay}. */
    public static final String KEEP_ALWAYS_PROPERTY = "imgstore.frameCache.keepAlways";

    /**
     * On the way to a target, frames that no other frame refers to (the non-reference B-frames of
     * x264 output such as Python imgstore's stores: about half of them) are dropped by the decoder
     * instead of decoded ({@code AVDISCARD_NONREF}, {@code ffmpeg -skip_frame noref}); the target
     * and every reference frame are decoded as before, so the pixels are the same.
     * {@code -Dimgstore.reader.skipNonRef=false} decodes every frame (the old way, for benchmarks).
     */
    public static final String NON_REF_SKIPPING_PROPERTY = "imgstore.reader.skipNonRef";

    private record CacheId(String path, Object fileKey, long size, long modified, boolean color) {
    }

    // statistics, for tests and benchmarks
    private long seeks;
    private long decodedFrames;
    private long retries;

    private VideoChunkReader(Path file, boolean color, int threads, StoreFiles files, boolean viaChannel) {
        this.file = file;
        this.color = color;
        this.threads = threads;
        this.files = files;
        this.viaChannel = viaChannel;
    }

    /**
     * Opens a chunk file (mp4, avi, mkv; any codec FFmpeg decodes).
     *
     * @param color true: frames are returned as 3-channel BGR, false: as 1-channel gray
     * @throws io.imgstore.format.CorruptStoreException if the file cannot be opened or has no video stream
     */
    public static VideoChunkReader open(Path file, boolean color) {
        return open(file, color, DEFAULT_DECODER_THREADS);
    }

    /**
     * As {@link #open(Path, boolean)} with an explicit number of decoder threads (0 = FFmpeg's
     * choice, one per core); for benchmarks and for callers that decode long sequential runs.
     */
    public static VideoChunkReader open(Path file, boolean color, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        return openChecked(file, color, threads);
    }

    private static VideoChunkReader openChecked(Path file, boolean color, int threads) {
        Ff.init();
        if (!Files.isRegularFile(file)) {
            throw new CorruptStoreException("video chunk file not found: " + file);
        }
        return init(new VideoChunkReader(file, color, threads, StoreFiles.LOCAL, false));
    }

    /**
     * Opens a chunk file read through {@code files}: a {@linkplain StoreFiles#localFile local file}
     * by path (FFmpeg's own file I/O, the fast path), any other through FFmpeg with a custom I/O
     * context over {@link StoreFiles#newChannel} ({@link ChannelAvio}).
     */
    public static VideoChunkReader open(StoreFiles files, Path file, boolean color) {
        var local = files.localFile(file);
        int threads = threadsSetting(System.getProperty(THREADS_PROPERTY, "auto"));
        if (local.isPresent()) {
            return openChecked(local.get(), color, threads);
        }
        return openViaChannelChecked(files, file, color, threads);
    }

    /**
     * Opens a chunk file through a channel of {@code files} whatever the storage (also a local file:
     * tests and benchmarks of the custom I/O path use it on local files).
     */
    public static VideoChunkReader openViaChannel(StoreFiles files, Path file, boolean color, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        return openViaChannelChecked(files, file, color, threads);
    }

    private static VideoChunkReader openViaChannelChecked(StoreFiles files, Path file, boolean color, int threads) {
        Ff.init();
        if (!files.isFile(file)) {
            throw new CorruptStoreException("video chunk file not found: " + file.getFileName());
        }
        return init(new VideoChunkReader(file, color, threads, files, true));
    }

    private static VideoChunkReader init(VideoChunkReader r) {
        try {
            r.init();
            return r;
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
    }

    private void init() {
        fmt = openInput();
        if (fmt.nb_streams() == 0) {
            // A container with no track at all: what imgstore leaves when it opened the next chunk
            // and was closed before writing to it. An empty chunk, not a broken one.
            table = new FrameTable.Builder().build();
            return;
        }
        streamIndex = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (streamIndex < 0) {
            throw new CorruptStoreException(file + " has no video stream");
        }
        discardOtherStreams();
        AVStream st = fmt.streams(streamIndex);
        AVCodecParameters par = st.codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw new UnsupportedFormatException(file + ": no decoder for codec "
                    + avcodec_get_name(par.codec_id()).getString());
        }
        codecName = codec.name().getString();
        dec = avcodec_alloc_context3(codec);
        if (dec == null || dec.isNull()) {
            throw new OutOfMemoryError("avcodec_alloc_context3 failed");
        }
        int r = avcodec_parameters_to_context(dec, par);
        if (r < 0) {
            throw new CorruptStoreException(file + ": bad codec parameters: " + Ff.err(r));
        }
        dec.pkt_timebase(st.time_base());
        timeBaseNum = st.time_base().num();
        timeBaseDen = st.time_base().den();
        pkt = av_packet_alloc();
        frame = av_frame_alloc();
        if (pkt == null || pkt.isNull() || frame == null || frame.isNull()) {
            throw new OutOfMemoryError("av_packet_alloc/av_frame_alloc failed");
        }
        table = indexTable();
        if (table == null) {
            table = scan();
        } else {
            tableFromIndex = true;
        }
        decoderThreads = threads == AUTO_THREADS ? autoThreads(par.width(), par.height()) : threads;
        dec.thread_count(decoderThreads);
        dec.thread_type(Ff.THREAD_FRAME | Ff.THREAD_SLICE);
        r = avcodec_open2(dec, codec, (AVDictionary) null);
        if (r < 0) {
            throw new CorruptStoreException(file + ": cannot open " + codecName + " decoder: " + Ff.err(r));
        }
        lastIdx = -1;
        cacheId = cacheId();
    }

    private Object cacheId() {
        if (table.size() == 0 || table.hasDuplicateTimestamps()) {
            return null;
        }
        try {
            if (viaChannel) {
                return new CacheId(files.getClass().getName() + ":" + file.toAbsolutePath().normalize(),
                        files.fileKey(file), files.size(file), files.lastModified(file).toMillis(), color);
            }
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class);
            return new CacheId(file.toAbsolutePath().normalize().toString(), a.fileKey(), a.size(),
                    a.lastModifiedTime().toMillis(), color);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Opens the demuxer ({@link DemuxerInput}: by path, or through a channel when {@link #viaChannel}). */
    private AVFormatContext openInput() {
        input = viaChannel ? DemuxerInput.viaChannel(files, file) : DemuxerInput.byPath(file);
        return input.ctx();
    }

    /** Closes the demuxer and its custom I/O, if open. */
    private void closeInput() {
        fmt = null;
        if (input != null) {
            input.close();
            input = null;
        }
    }

    /** True when FFmpeg reads this file through a channel of a {@link StoreFiles} (not by path). */
    public boolean readsViaChannel() {
        return viaChannel;
    }

    private void discardOtherStreams() {
        for (int i = 0; i < fmt.nb_streams(); i++) {
            if (i != streamIndex) {
                fmt.streams(i).discard(AVDISCARD_ALL);
            }
        }
    }

    /**
     * The frame table from the container's own index (mp4 sample tables and fragments, avi idx1),
     * which {@code avformat_find_stream_info} has already read: no packet is demuxed, so opening
     * costs the same for 100 or 10,000 frames. Null (then {@link #scan()} demuxes) unless the index
     * is evidently complete and exact: the mov/mp4 demuxer (it indexes every sample of the sample
     * tables and of every complete fragment; avi's index is missing while a chunk is written), no frame
     * reordering (the index holds decode timestamps; without reordering they are the presentation
     * timestamps), no discarded (edit list) samples, strictly increasing timestamps, every sample
     * inside the file, and the first packet the demuxer returns carrying the first entry's
     * timestamp. Reads still verify every frame's timestamp, so a wrong table fails loudly.
     */
    private FrameTable indexTable() {
        if ("false".equals(System.getProperty(INDEX_OPEN_PROPERTY))) {
            return null;
        }
        String demuxer = fmt.iformat() == null || fmt.iformat().name() == null ? "" : fmt.iformat().name().getString();
        if (!demuxer.startsWith("mov,")) {
            return null;
        }
        AVStream st = fmt.streams(streamIndex);
        if (st.codecpar().video_delay() != 0) {
            return null;
        }
        int n = avformat_index_get_entries_count(st);
        if (n <= 0 || (st.nb_frames() > 0 && st.nb_frames() != n)) {
            return null;
        }
        long fileSize;
        try {
            fileSize = viaChannel ? files.size(file) : Files.size(file);
        } catch (java.io.IOException e) {
            return null;
        }
        FrameTable.Builder b = new FrameTable.Builder(n);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            AVIndexEntry e = avformat_index_get_entry(st, i);
            if (e == null || e.isNull()) {
                return null;
            }
            int flags = e.flags();
            long ts = e.timestamp();
            if ((flags & AVIndexEntry.AVINDEX_DISCARD_FRAME) != 0 || ts == AV_NOPTS_VALUE || ts <= previous
                    || e.pos() < 0 || e.size() <= 0 || e.pos() + e.size() > fileSize) {
                return null;
            }
            previous = ts;
            b.add(ts, (flags & AVIndexEntry.AVINDEX_KEYFRAME) != 0);
        }
        FrameTable t = b.build();
        // The demuxer's first packet must be the index's first entry, with that timestamp as pts.
        long firstIndexTs = avformat_index_get_entry(st, 0).timestamp();
        while (av_read_frame(fmt, pkt) >= 0) {
            try {
                if (pkt.stream_index() != streamIndex) {
                    continue;
                }
                if (pkt.pts() != firstIndexTs || pkt.dts() != firstIndexTs) {
                    return null;
                }
                return t;
            } finally {
                av_packet_unref(pkt);
            }
        }
        return null;
    }

    /** Demuxes the whole file once (no decoding) into the frame table. */
    private FrameTable scan() {
        FrameTable.Builder b = new FrameTable.Builder();
        while (av_read_frame(fmt, pkt) >= 0) {
            try {
                if (pkt.stream_index() != streamIndex) {
                    continue;
                }
                int flags = pkt.flags();
                if ((flags & (AV_PKT_FLAG_DISCARD | AV_PKT_FLAG_CORRUPT)) != 0) {
                    continue;
                }
                long ts = packetTs(pkt);
                if (ts == AV_NOPTS_VALUE) {
                    throw new UnsupportedFormatException(file + ": video packets without timestamps; "
                            + "frame-exact reading needs a container with timestamps (mp4, mkv, avi)");
                }
                b.add(ts, (flags & AV_PKT_FLAG_KEY) != 0);
            } finally {
                av_packet_unref(pkt);
            }
        }
        demuxEof = true;
        return b.build();
    }

    private static long packetTs(AVPacket p) {
        return p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
    }

    private static long frameTs(AVFrame f) {
        return f.pts() != AV_NOPTS_VALUE ? f.pts() : f.best_effort_timestamp();
    }

    /** Presentation time of every frame in seconds, in frame order (for converting files to stores). */
    public double[] presentationTimes() {
        ensureOpen();
        double[] t = new double[frameCount()];
        for (int i = 0; i < t.length; i++) {
            t[i] = table.pts(i) * (double) timeBaseNum / timeBaseDen;
        }
        return t;
    }

    /** Number of frames in the file (from demuxing, not from container metadata guesses). */
    public int frameCount() {
        return table == null ? 0 : table.size();
    }

    /**
     * The frame at position {@code frameIdx} (0-based, presentation order) of this chunk, exactly:
     * seeks to a keyframe at or before it, decodes forward, and verifies the position.
     * Reading {@code frameIdx = last + 1} after a read is a cheap sequential step.
     *
     * @throws io.imgstore.format.FrameNotFoundException if the file has fewer frames
     * @throws io.imgstore.format.CorruptStoreException  if decoding fails (truncated file, ...)
     */
    public synchronized Image read(int frameIdx) {
        Image cached = startRead(frameIdx);
        if (cached != null) {
            return cached;
        }
        decodeTo(frameIdx);
        return returned(frameIdx, view(frame).toImage());
    }

    /**
     * The frame at position {@code frameIdx}, exactly as {@link #read(int)} gives it, lent to
     * {@code visitor} without a copy where the pixels are already in 8-bit gray or BGR form in native
     * memory (the decoder's own luma plane for full-range gray, else the conversion buffer). For long
     * sequential runs: frames read this way do not go into the decoded-frame cache.
     *
     * @throws io.imgstore.format.FrameNotFoundException if the file has fewer frames
     * @throws io.imgstore.format.CorruptStoreException  if decoding fails
     * @throws IOException                               what the visitor throws
     */
    public synchronized <T> T read(int frameIdx, PixelVisitor<T> visitor) throws IOException {
        Image cached = startRead(frameIdx);
        if (cached != null) {
            return visitor.visit(PixelView.of(cached));
        }
        decodeTo(frameIdx);
        lastIdx = frameIdx;
        returnedIdx = frameIdx;
        return visitor.visit(view(frame));
    }

    /** Checks the index and notes the read; the cached frame when the decoded-frame cache has it, else null. */
    private Image startRead(int frameIdx) {
        ensureOpen();
        if (fmt == null) {
            throw new CorruptStoreException(file + " could not be re-opened after an earlier error; open a new reader");
        }
        if (frameIdx < 0 || frameIdx >= table.size()) {
            throw new FrameNotFoundException("frame index " + frameIdx + " is not in " + file + " ("
                    + table.size() + " frames" + (table.size() == 0 ? "" : ", 0.." + (table.size() - 1)) + ")");
        }
        if (cacheId != null) {
            // Keep frames decoded on the way only for a client stepping back or scrubbing here: the
            // previous read of this file was near this one.
            int previous = cache.noteRead(cacheId, frameIdx);
            keepOnTheWay = cache.enabled() && ("true".equals(System.getProperty(KEEP_ALWAYS_PROPERTY))
                    || (previous >= 0 && previous != frameIdx && Math.abs(previous - frameIdx) <= keepWindow()));
            Image cached = cache.get(cacheId, frameIdx);
            if (cached != null) {
                returnedIdx = frameIdx;
                return cached;
            }
        }
        return null;
    }

    /** Decodes until {@link #frame} holds frame {@code frameIdx}: forward, or from a keyframe. */
    private void decodeTo(int frameIdx) {
        long target = table.pts(frameIdx);
        int key = table.keyframeBefore(frameIdx);
        try {
            boolean firstAttempt = true;
            // 1. keep decoding forward when no keyframe lies between the decoder's position and the target
            if (lastIdx >= 0 && frameIdx > lastIdx && key <= lastIdx + 1) {
                if (decodeUntil(target, frameIdx)) {
                    return;
                }
                firstAttempt = false;
            }
            // 2. seek to the keyframe at or before the target; 3. to the one before that
            int previousKey = key > 0 ? table.keyframeBefore(key - 1) : -1;
            for (int k : new int[] {key, previousKey}) {
                if (k >= 0) {
                    if (!firstAttempt) {
                        retries++;
                    }
                    firstAttempt = false;
                    if (seekTo(table.pts(k)) && decodeUntil(target, frameIdx)) {
                        return;
                    }
                }
            }
            // 4. decode from the start of the file
            if (!firstAttempt) {
                retries++;
            }
            rewind();
            if (decodeUntil(target, frameIdx)) {
                return;
            }
        } catch (RuntimeException | Error e) {
            lastIdx = -1;
            returnedIdx = -1;
            throw e;
        }
        lastIdx = -1;
        returnedIdx = -1;
        throw new CorruptStoreException("frame index " + frameIdx + " (pts " + target + ") of " + file
                + " cannot be decoded (" + codecName + "; truncated or damaged file?)");
    }

    /** The frame after the last one read (frame 0 first); see {@link #read(int)}. */
    public synchronized Image readNext() {
        ensureOpen();
        return read(returnedIdx + 1);
    }

    private Image returned(int frameIdx, Image img) {
        lastIdx = frameIdx;
        returnedIdx = frameIdx;
        // Only frames that are expensive to decode again (far from their keyframe) are worth a copy.
        if (cacheId != null && cache.enabled() && frameIdx - table.keyframeBefore(frameIdx) >= CACHE_MIN_RUN) {
            cache.put(cacheId, frameIdx, DecodedFrameCache.copy(img));
        }
        return img;
    }

    /**
     * Where the decoder is: the index of the last frame it decoded for a read, -1 before the first
     * read, after a failed one or when unknown. A read of a later frame in the same group of pictures
     * continues from here without seeking.
     */
    public int lastIndex() {
        return lastIdx;
    }

    /**
     * How many frames this reader decodes to reach {@code frameIdx} without seeking (the target is
     * ahead of the decoder's position with no keyframe in between), or -1 when it would seek.
     * Lets a pool pick the parked decoder that is already on the way to a frame.
     */
    public synchronized int framesToContinueTo(int frameIdx) {
        if (closed || table == null || lastIdx < 0 || frameIdx <= lastIdx || frameIdx >= table.size()) {
            return -1;
        }
        return table.keyframeBefore(frameIdx) <= lastIdx + 1 ? frameIdx - lastIdx : -1;
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /** The FFmpeg decoder in use ({@code h264}, {@code mjpeg}, ...). */
    public String codecName() {
        return codecName;
    }

    /**
     * Presentation time of a frame in seconds, from the container's timestamps (for files written
     * by {@link VideoChunkWriter}: {@code frameIdx / 25}, which is what OpenCV's frame seeking assumes).
     */
    public double presentationTime(int frameIdx) {
        if (frameIdx < 0 || frameIdx >= frameCount()) {
            throw new FrameNotFoundException("frame index " + frameIdx + " is not in " + file);
        }
        return table.pts(frameIdx) * (double) timeBaseNum / timeBaseDen;
    }

    /**
     * Whether a read may decode long runs: some keyframe is followed by {@link #LONG_GROUP} or more
     * frames before the next (Python imgstore's x264 chunks: 250).
     */
    public boolean hasLongGroups() {
        return table != null && table.longestGroup() >= LONG_GROUP;
    }

    /**
     * About how much native memory this reader holds once it has decoded: 6 MiB per decoder thread
     * (codec and demuxer state), eight decoded 4:2:0 pictures (references and reordering delay of an
     * x264 stream) and the conversion buffer. Measured ({@code LongGopBench memory}, resident bytes
     * of 8 readers): 512x512 colour 8.6-11.0 MB (estimate 10.2), 1920x1200 gray with two threads
     * 45.7 MB (estimate 47.2). An estimate for pool sizing, not an accounting.
     */
    public long residentBytesEstimate() {
        long pixels = dec == null ? 0 : (long) dec.width() * dec.height();
        return (6L << 20) * Math.max(1, decoderThreads) + pixels * 8 * 3 / 2 + pixels * 3;
    }

    /** Diagnostics: the decoder's thread count (see {@link #autoThreads}). */
    public int decoderThreads() {
        return decoderThreads;
    }

    /** Diagnostics: seeks (and re-opens) done so far. */
    public long seekCount() {
        return seeks;
    }

    /** Diagnostics: frames the decoder produced so far (returned or skipped on the way to a target). */
    public long decodedFrameCount() {
        return decodedFrames;
    }

    /**
     * Diagnostics: reads that needed more than one attempt (the seek landed after the target, or
     * the target did not come out of the decoder). Zero on well-formed files.
     */
    public long retryCount() {
        return retries;
    }

    /** Diagnostics: whether the frame table came from the container index (no demuxing at open). */
    public boolean tableFromIndex() {
        return tableFromIndex;
    }

    FrameTable frameTable() {
        return table;
    }

    private boolean seekTo(long ts) {
        seeks++;
        int r = av_seek_frame(fmt, streamIndex, ts, AVSEEK_FLAG_BACKWARD);
        resetDecoder();
        return r >= 0;
    }

    /** Re-opens the input: the one way back to the very first packet that works for every demuxer. */
    private void rewind() {
        seeks++;
        closeInput();
        fmt = openInput();
        discardOtherStreams();
        resetDecoder();
    }

    private void resetDecoder() {
        avcodec_flush_buffers(dec);
        demuxEof = false;
        lastIdx = -1;
    }

    /** How many frames before a target fit in a quarter of the {@link DecodedFrameCache}. */
    private long keepWindow() {
        long frameBytes = Math.max(1L, (long) dec.width() * dec.height() * (color ? 3 : 1));
        return cache.capacity() / 4 / frameBytes;
    }

    /**
     * Decodes forward until the frame with timestamp {@code target} (frame {@code targetIdx}) is in
     * {@link #frame}; false when a later frame or the end of the stream comes first. On a long run from the keyframe
     * ({@link #CACHE_MIN_RUN}) of a read near the previous one ({@link #keepOnTheWay}), the frames just
     * before the target that fit in a quarter of the {@link DecodedFrameCache} are converted and kept
     * there, each under the index its timestamp has.
     */
    private boolean decodeUntil(long target, int targetIdx) {
        boolean keep = cacheId != null && keepOnTheWay && targetIdx - table.keyframeBefore(targetIdx) >= CACHE_MIN_RUN;
        int keepFrom = keep ? (int) Math.max(0, targetIdx - keepWindow()) : targetIdx;
        // Frames before keepFrom are only a means to the target: those no frame refers to need not be decoded.
        skipNonRefBelow = "false".equalsIgnoreCase(System.getProperty(NON_REF_SKIPPING_PROPERTY))
                ? Long.MIN_VALUE : table.pts(keepFrom);
        try {
            while (true) {
                AVFrame f = nextFrame();
                if (f == null) {
                    return false;
                }
                long ts = frameTs(f);
                if (ts == target) {
                    return true;
                }
                if (ts > target) {
                    return false;
                }
                if (keep) {
                    int i = table.indexOf(ts);
                    if (i >= keepFrom && i < targetIdx) {
                        cache.put(cacheId, i, view(f).toImage());
                    }
                }
            }
        } finally {
            skipNonRefBelow = Long.MIN_VALUE;
        }
    }

    /** The next decoded frame in presentation order, or null at the end of the stream. */
    private AVFrame nextFrame() {
        int errors = 0;
        while (true) {
            int r = avcodec_receive_frame(dec, frame);
            if (r >= 0) {
                decodedFrames++;
                return frame;
            }
            if (r == AVERROR_EOF) {
                return null;
            }
            if (r != Ff.EAGAIN) {
                if (++errors > MAX_DECODE_ERRORS) {
                    throw new CorruptStoreException(file + ": too many decoding errors, last: " + Ff.err(r));
                }
                continue;
            }
            if (!feed()) {
                if (++errors > MAX_DECODE_ERRORS) {
                    throw new CorruptStoreException(file + ": too many decoding errors");
                }
            }
        }
    }

    /** Sends the next video packet (or the end-of-stream flush) to the decoder; false if the decoder rejected it. */
    private boolean feed() {
        if (demuxEof) {
            // Already flushed and the decoder still wants input: nothing more to give.
            int r = avcodec_send_packet(dec, null);
            return r >= 0 || r == AVERROR_EOF;
        }
        while (true) {
            int r = av_read_frame(fmt, pkt);
            if (r < 0) {
                demuxEof = true;
                avcodec_send_packet(dec, null);
                return true;
            }
            try {
                if (pkt.stream_index() != streamIndex) {
                    continue;
                }
                // Only a real presentation timestamp says a frame comes before the target (a decode
                // timestamp of a reordered frame does not); the h264/hevc/mpeg decoders read this per packet.
                boolean skip = pkt.pts() != AV_NOPTS_VALUE && pkt.pts() < skipNonRefBelow;
                if (skip != skippingNonRef) {
                    dec.skip_frame(skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT);
                    skippingNonRef = skip;
                }
                r = avcodec_send_packet(dec, pkt);
                return r >= 0;
            } finally {
                av_packet_unref(pkt);
            }
        }
    }

    /**
     * The decoded frame's pixels as 8-bit gray or BGR, valid until the next decode: full-range luma
     * is the decoder's own plane, limited-range luma is expanded to full range ({@link #expandLimitedRange}) into the
     * conversion buffer, anything else is converted there by swscale.
     */
    private PixelView view(AVFrame f) {
        int w = f.width();
        int h = f.height();
        if (w <= 0 || h <= 0) {
            throw new CorruptStoreException(file + ": decoded frame has no size");
        }
        int fmtId = f.format();
        boolean fullRange = f.color_range() == AVCOL_RANGE_JPEG || isJpegFormat(fmtId);
        int lumaStride = f.linesize(0);
        if (!color && lumaStride >= w && (fmtId == AV_PIX_FMT_GRAY8 || (fullRange && isLumaPlanar8(fmtId)))) {
            return nativeView(f.data(0), h, w, 1, lumaStride);
        }
        if (!color && lumaStride >= w && isLumaPlanar8(fmtId)
                && !"false".equals(System.getProperty(GRAY_LUT_PROPERTY))) {
            ensureConvBuffer((long) w * h);
            try (Mat luma = new Mat(h, w, CV_8UC1, f.data(0), lumaStride);
                 Mat full = new Mat(h, w, CV_8UC1, convBuf, w)) {
                expandLimitedRange(luma, full);
            }
            return nativeView(convBuf, h, w, 1, w);
        }
        int dstFmt = color ? AV_PIX_FMT_BGR24 : AV_PIX_FMT_GRAY8;
        int channels = color ? 3 : 1;
        sws = sws_getCachedContext(sws, w, h, fmtId, w, h, dstFmt, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            sws = null;
            throw new UnsupportedFormatException(file + ": cannot convert pixel format "
                    + pixFmtName(fmtId) + " to " + (color ? "BGR" : "gray"));
        }
        IntPointer coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
        sws_setColorspaceDetails(sws, coefficients, fullRange ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16);
        // swscale's SIMD converters work on blocks of 8+ pixels: they round the width up and, when
        // the destination rows are too short for that, silently skip the last (w % 8) pixels.
        // Rows with room for 32 more pixels, 64-byte aligned, and slack at the end avoid both.
        int linesize = ((w + 32) * channels + 63) & ~63;
        ensureConvBuffer((long) linesize * (h + 1) + 256);
        convLinesize.put(0, linesize);
        sws_scale(sws, f.data(), f.linesize(), 0, h, convData, convLinesize);
        return nativeView(convBuf, h, w, channels, linesize);
    }

    private static PixelView nativeView(BytePointer data, int h, int w, int channels, int rowStride) {
        long bytes = (long) rowStride * (h - 1) + (long) w * channels;
        return new PixelView(h, w, channels, PixelType.UINT8,
                new BytePointer(data).position(0).capacity(bytes).limit(bytes).asByteBuffer(), rowStride);
    }

    /**
     * Limited-range luma expanded by {@link #expandLimitedRange} (the expansion swscale applies to
     * gray output, pixel for pixel; measured cheaper than swscale on 1920x1200 frames,
     * {@code bench/long-gop.sh}) unless {@code -Dimgstore.reader.grayLut=false}: swscale.
     */
    public static final String GRAY_LUT_PROPERTY = "imgstore.reader.grayLut";

    /** Limited-range luma's scale to full range: {@code 255 / 219}. */
    static final double LIMITED_RANGE_SCALE = 255.0 / 219.0;

    /**
     * Limited-range (16..235) 8-bit luma to full range, {@code round((y - 16) * 255 / 219)} clipped
     * to 0..255, by OpenCV's vectorised {@code convertTo} (0.23 ms per 1920x1200 frame here, vs 0.4-0.7
     * for {@code cv::LUT} and ~1 ms for a table lookup in a Java loop). No value of {@code y} lands
     * within 1/146 of a rounding tie, so float arithmetic rounds every one of the 256 values as the
     * exact formula does ({@code VideoChunkReaderRangeTest}).
     */
    static void expandLimitedRange(Mat limited, Mat full) {
        limited.convertTo(full, CV_8U, LIMITED_RANGE_SCALE, -16 * LIMITED_RANGE_SCALE);
    }

    private void ensureConvBuffer(long size) {
        if (convBuf == null || convBufSize < size) {
            if (convBuf != null) {
                convBuf.close();
            }
            convBuf = new BytePointer(size);
            convBufSize = size;
            if (convData == null) {
                convData = new PointerPointer<>(4);
                convLinesize = new IntPointer(4);
            }
            convData.put(0, convBuf);
        }
    }

    private static boolean isJpegFormat(int f) {
        return f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P
                || f == AV_PIX_FMT_YUVJ440P;
    }

    /** 8-bit formats whose first plane is the luma plane. */
    private static boolean isLumaPlanar8(int f) {
        return isJpegFormat(f) || f == AV_PIX_FMT_YUV420P || f == AV_PIX_FMT_YUV422P || f == AV_PIX_FMT_YUV444P
                || f == AV_PIX_FMT_YUV440P || f == AV_PIX_FMT_NV12 || f == AV_PIX_FMT_NV21;
    }

    private static String pixFmtName(int f) {
        BytePointer n = av_get_pix_fmt_name(f);
        return n == null || n.isNull() ? String.valueOf(f) : n.getString();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("video chunk reader for " + file + " is closed");
        }
    }

    /** Releases every native object (demuxer, decoder, frame, packet, scaler, buffers). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
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
        if (dec != null) {
            avcodec_free_context(dec);
            dec = null;
        }
        closeInput();
        if (convBuf != null) {
            convBuf.close();
            convBuf = null;
        }
        if (convData != null) {
            convData.close();
            convData = null;
        }
        if (convLinesize != null) {
            convLinesize.close();
            convLinesize = null;
        }
    }

    @Override
    public String toString() {
        return "VideoChunkReader[" + file + ", " + codecName + ", " + frameCount() + " frames"
                + (closed ? ", closed" : "") + "]";
    }
}
