package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * H.264 in fragmented mp4 ({@code movflags=frag_keyframe+empty_moov+default_base_moof}) written
 * to a stream as frames come: playable by a {@code <video>} element while it downloads, no seek
 * back into the output. Frames are re-encoded (yuv420p; libx264 in the gpl build, else
 * libopenh264), scaled to the output size (even width and height, as yuv420p needs). 16-bit
 * frames are reduced to 8 bits. Not thread-safe.
 */
public final class FragmentedMp4Writer implements AutoCloseable {

    private final FFmpegFrameRecorder recorder;
    private Frame frame;
    private boolean closed;

    private FragmentedMp4Writer(FFmpegFrameRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * @param out    receives the mp4 as it is muxed (not closed by this writer)
     * @param height output height (rounded down to even, at least 2)
     * @param width  output width (rounded down to even, at least 2)
     * @param fps    frame rate written into the file
     */
    public static FragmentedMp4Writer open(OutputStream out, int height, int width, double fps) {
        Ff.init();
        OutputStream keepOpen = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
        int w = Math.max(2, width & ~1);
        int h = Math.max(2, height & ~1);
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(keepOpen, w, h, 0);
        r.setFormat("mp4");
        r.setVideoCodecName(VideoChunkWriter.findH264Encoder().name().getString());
        r.setPixelFormat(AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setGopSize(Math.max(1, (int) Math.round(fps)));
        r.setVideoBitrate((int) Math.min(Integer.MAX_VALUE, Math.max(200_000L, (long) w * h * 4)));
        r.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
        r.setVideoOption("allow_skip_frames", "0");
        try {
            r.start();
        } catch (FrameRecorder.Exception e) {
            throw new ImgStoreException("cannot start the mp4 encoder: " + e.getMessage(), e);
        }
        return new FragmentedMp4Writer(r);
    }

    /** Encodes one frame (any size: scaled to the output size). */
    public void write(Image image) {
        Image img = image.toEightBit();
        int channels = img.channels();
        if (frame == null || frame.imageWidth != img.width() || frame.imageHeight != img.height()
                || frame.imageChannels != channels) {
            frame = new Frame(img.width(), img.height(), Frame.DEPTH_UBYTE, channels);
        }
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int row = img.width() * channels;
        int stride = frame.imageStride;
        byte[] data = img.data();
        for (int y = 0; y < img.height(); y++) {
            buf.position(y * stride);
            buf.put(data, y * row, row);
        }
        buf.rewind();
        try {
            recorder.record(frame, channels == 3 ? AV_PIX_FMT_BGR24 : AV_PIX_FMT_GRAY8);
        } catch (FrameRecorder.Exception e) {
            throw new ImgStoreException("mp4 encoding failed: " + e.getMessage(), e);
        }
    }

    /** Flushes the encoder and writes the last fragment. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            throw new ImgStoreException("mp4 encoding failed at the end: " + e.getMessage(), e);
        }
    }
}
