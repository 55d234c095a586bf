package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FORCE;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * An FFmpeg I/O context ({@code AVIOContext}) that reads a file through a {@link StoreFiles}
 * channel instead of a path, so a video chunk that is not a local file (object storage, memory) is
 * demuxed and decoded as one that is: FFmpeg calls back {@link #READ} and {@link #SEEK}, which read
 * and position the {@link SeekableByteChannel} of {@link StoreFiles#newChannel}.
 *
 * <p>Written here, not taken from JavaCV: JavaCV's {@code FFmpegFrameGrabber(InputStream)} wraps an
 * {@code InputStream} (seeking by mark/reset or not at all, reading ahead a whole stream); a chunk
 * reader needs random access on a channel, and the native state freed deterministically with the
 * reader.
 *
 * <p>Native state and lifetime: the two callbacks are JavaCPP {@code FunctionPointer}s, each a native
 * thunk; they are created once (static, so strongly reachable for every context's life) and shared,
 * each context passing its own {@code opaque} pointer (8 native bytes holding its id) by which the
 * callbacks find its channel in {@link #OPEN}. The I/O buffer is {@code av_malloc}ed;
 * FFmpeg may replace it (it grows or shrinks {@code avio->buffer} while probing), so {@link #close()}
 * frees {@code avio->buffer}, never the pointer first given, then the context, the opaque pointer
 * and the channel. Not thread-safe: one demuxer uses it (the reader is serialised).
 */
final class ChannelAvio implements AutoCloseable {

    /** I/O buffer: FFmpeg reads the channel in pieces of this size (the piece that holds a seek target and on). */
    static final int BUFFER_SIZE = 64 * 1024;
    /** {@code AVERROR(EIO)}: FFmpeg's error numbers are negated POSIX errno values. */
    private static final int AVERROR_EIO = -5;
    private static final int SEEK_SET = 0;
    private static final int SEEK_CUR = 1;
    private static final int SEEK_END = 2;

    private static final Map<Long, ChannelAvio> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final AtomicLong LIVE = new AtomicLong();

    private static final Read_packet_Pointer_BytePointer_int READ = new Read_packet_Pointer_BytePointer_int() {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            ChannelAvio io = find(opaque);
            return io == null ? AVERROR_EIO : io.read(buf, size);
        }
    };

    private static final Seek_Pointer_long_int SEEK = new Seek_Pointer_long_int() {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            ChannelAvio io = find(opaque);
            return io == null ? AVERROR_EIO : io.seek(offset, whence);
        }
    };

    private final long id;
    private final SeekableByteChannel channel;
    private final long size;
    private final LongPointer opaque;
    private AVIOContext avio;
    private boolean closed;

    private ChannelAvio(long id, SeekableByteChannel channel, long size, LongPointer opaque) {
        this.id = id;
        this.channel = channel;
        this.size = size;
        this.opaque = opaque;
    }

    /**
     * Opens the file's channel and an I/O context on it.
     *
     * @throws CorruptStoreException when the file cannot be opened
     */
    static ChannelAvio open(StoreFiles files, Path file) {
        SeekableByteChannel channel;
        long size;
        try {
            channel = files.newChannel(file);
        } catch (NoSuchFileException e) {
            throw new CorruptStoreException("video chunk file not found: " + file.getFileName(), e);
        } catch (IOException e) {
            throw new CorruptStoreException("cannot open video chunk " + file.getFileName() + ": " + e.getMessage(), e);
        }
        try {
            size = channel.size();
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CorruptStoreException("cannot open video chunk " + file.getFileName() + ": " + e.getMessage(), e);
        }
        long id = IDS.incrementAndGet();
        LongPointer opaque = new LongPointer(1);
        opaque.put(0, id);
        ChannelAvio io = new ChannelAvio(id, channel, size, opaque);
        OPEN.put(id, io);
        LIVE.incrementAndGet();
        Pointer buffer = av_malloc(BUFFER_SIZE);
        if (buffer == null || buffer.isNull()) {
            io.close();
            throw new OutOfMemoryError("av_malloc of the AVIO buffer failed");
        }
        AVIOContext ctx = avio_alloc_context(new BytePointer(buffer), BUFFER_SIZE, 0, opaque, READ, null, SEEK);
        if (ctx == null || ctx.isNull()) {
            av_free(buffer);
            io.close();
            throw new OutOfMemoryError("avio_alloc_context failed");
        }
        io.avio = ctx;
        return io;
    }

    private static ChannelAvio find(Pointer opaque) {
        if (opaque == null || opaque.isNull()) {
            return null;
        }
        return OPEN.get(new LongPointer(opaque).get(0));
    }

    /** The context to set as the format context's {@code pb}. */
    AVIOContext context() {
        return avio;
    }

    /** Contexts open now, in the whole process (for tests of native memory). */
    static long live() {
        return LIVE.get();
    }

    private int read(BytePointer buf, int size) {
        if (size <= 0) {
            return 0;
        }
        try {
            ByteBuffer target = buf.capacity(size).asByteBuffer();
            while (true) {
                int n = channel.read(target);
                if (n < 0) {
                    return target.position() > 0 ? target.position() : AVERROR_EOF;
                }
                if (n > 0 || !target.hasRemaining()) {
                    return target.position();
                }
                // 0 bytes: a channel that is not blocking yet; FFmpeg treats 0 as an error, so read on
            }
        } catch (IOException | RuntimeException e) {
            return AVERROR_EIO;
        }
    }

    private long seek(long offset, int whence) {
        int how = whence & ~AVSEEK_FORCE;
        try {
            if (how == AVSEEK_SIZE) {
                return size;
            }
            long target = switch (how) {
                case SEEK_SET -> offset;
                case SEEK_CUR -> channel.position() + offset;
                case SEEK_END -> size + offset;
                default -> -1;
            };
            if (target < 0) {
                return AVERROR_EIO;
            }
            channel.position(target);
            return target;
        } catch (IOException | RuntimeException e) {
            return AVERROR_EIO;
        }
    }

    /**
     * Frees the buffer FFmpeg holds now ({@code avio->buffer}), the context, the opaque pointer and
     * closes the channel. Call after {@code avformat_close_input} (which leaves custom I/O alone).
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (avio != null) {
            BytePointer current = avio.buffer();
            if (current != null && !current.isNull()) {
                av_free(current);
            }
            avio.buffer(null);
            avio_context_free(avio);
            avio = null;
        }
        OPEN.remove(id);
        opaque.close();
        closeQuietly(channel);
        LIVE.decrementAndGet();
    }

    private static void closeQuietly(SeekableByteChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // read-only: nothing is lost
        }
    }
}
