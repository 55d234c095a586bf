package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.storage.StoreFiles;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * An FFmpeg demuxer over one chunk file, opened with its stream info: by path (FFmpeg's own file
 * I/O), or through a {@link ChannelAvio} over {@link StoreFiles#newChannel}. The one way
 * {@link VideoChunkReader} and {@link ClipRemuxer} open their inputs. {@link #close()} closes the
 * input, then frees the custom I/O ({@code avformat_close_input} leaves custom I/O alone); every
 * failure while opening frees what was made. Not thread-safe.
 */
final class DemuxerInput implements AutoCloseable {

    private AVFormatContext ctx;
    private ChannelAvio io;

    private DemuxerInput(AVFormatContext ctx, ChannelAvio io) {
        this.ctx = ctx;
        this.io = io;
    }

    /** A {@linkplain StoreFiles#localFile local file} by path, any other through a channel. */
    static DemuxerInput open(StoreFiles files, Path file) {
        var local = files.localFile(file);
        return local.isPresent() ? byPath(local.get()) : viaChannel(files, file);
    }

    /** By path: FFmpeg's own file I/O. */
    static DemuxerInput byPath(Path file) {
        AVFormatContext ctx = new AVFormatContext(null);
        int r = avformat_open_input(ctx, file.toAbsolutePath().toString(), null, null);
        if (r < 0) {
            throw new CorruptStoreException("cannot open video file " + file + ": " + Ff.err(r)
                    + " (truncated mp4 without its index, or not a video file?)");
        }
        return withStreamInfo(new DemuxerInput(ctx, null), file.toString());
    }

    /**
     * Through a {@link ChannelAvio}: the format context is allocated here with its {@code pb} set, so
     * FFmpeg reads through the callbacks; the file name is only a hint for probing.
     */
    static DemuxerInput viaChannel(StoreFiles files, Path file) {
        ChannelAvio io = ChannelAvio.open(files, file);
        AVFormatContext ctx = avformat_alloc_context();
        if (ctx == null || ctx.isNull()) {
            io.close();
            throw new OutOfMemoryError("avformat_alloc_context failed");
        }
        ctx.pb(io.context());
        int r = avformat_open_input(ctx, file.getFileName().toString(), null, null);
        if (r < 0) {
            io.close(); // FFmpeg freed the context on failure, not the custom I/O
            throw new CorruptStoreException("cannot open video file " + file.getFileName() + ": " + Ff.err(r)
                    + " (truncated mp4 without its index, or not a video file?)");
        }
        return withStreamInfo(new DemuxerInput(ctx, io), file.getFileName().toString());
    }

    private static DemuxerInput withStreamInfo(DemuxerInput input, String name) {
        int r = avformat_find_stream_info(input.ctx, (AVDictionary) null);
        if (r < 0) {
            input.close();
            throw new CorruptStoreException("cannot read stream info of " + name + ": " + Ff.err(r));
        }
        return input;
    }

    AVFormatContext ctx() {
        return ctx;
    }

    /** Closes the input, then the custom I/O. Idempotent. */
    @Override
    public void close() {
        if (ctx != null) {
            avformat_close_input(ctx);
            ctx = null;
        }
        if (io != null) {
            io.close();
            io = null;
        }
    }
}
