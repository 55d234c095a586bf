package io.imgstore.format.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.PixelType;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A live video source read with FFmpeg (JavaCV's {@link FFmpegFrameGrabber}): a camera
 * ({@code /dev/video0} through video4linux2), a network stream ({@code rtsp://}, {@code http://}
 * MJPEG or MPEG-TS) or a file, frame after frame as 8-bit BGR or gray {@link Image}s. For
 * {@code imgstore save}. Not thread-safe; holds native state until {@link #close()}.
 */
public final class LiveSource implements AutoCloseable {

    /** Network reads give up after this long without data (microseconds, FFmpeg's unit). */
    static final int NETWORK_TIMEOUT_US = 10_000_000;

    private final FFmpegFrameGrabber grabber;
    private final String description;
    private final boolean color;
    private long timestampMicros = -1;

    private LiveSource(FFmpegFrameGrabber grabber, String description, boolean color) {
        this.grabber = grabber;
        this.description = description;
        this.color = color;
    }

    /** The first camera of this machine as an FFmpeg input: {@code [input format, source]}. */
    public static String[] defaultCamera() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return new String[] {"avfoundation", "0"};
        }
        if (os.contains("win")) {
            return new String[] {"dshow", "video=0"};
        }
        return new String[] {"video4linux2", "/dev/video0"};
    }

    /**
     * Opens a source.
     *
     * @param source      an FFmpeg input (URL, device, file); null for {@link #defaultCamera()}
     * @param inputFormat FFmpeg's input format ({@code video4linux2}, {@code mjpeg}, ...), null to let FFmpeg probe
     * @param color       BGR frames when true, gray (luma) when false
     * @param options     FFmpeg input options ({@code framerate}, {@code video_size}, ...)
     * @throws ImgStoreException when FFmpeg cannot open the source
     */
    public static LiveSource open(String source, String inputFormat, boolean color, Map<String, String> options) {
        Ff.init();
        String src = source;
        String fmt = inputFormat;
        if (src == null) {
            String[] cam = defaultCamera();
            fmt = fmt == null ? cam[0] : fmt;
            src = cam[1];
        } else if (fmt == null && src.startsWith("/dev/video")) {
            fmt = "video4linux2";
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(src);
        if (fmt != null) {
            g.setFormat(fmt);
        }
        g.setPixelFormat(color ? AV_PIX_FMT_BGR24 : AV_PIX_FMT_GRAY8);
        if (src.contains("://")) {
            g.setOption(src.startsWith("rtsp") ? "timeout" : "rw_timeout", Integer.toString(NETWORK_TIMEOUT_US));
        }
        options.forEach(g::setOption);
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(g);
            throw new ImgStoreException("cannot open video source " + src + (fmt == null ? "" : " (" + fmt + ")")
                    + ": " + shortMessage(e), e);
        }
        return new LiveSource(g, src + (fmt == null ? "" : " (" + fmt + ")"), color);
    }

    /**
     * The next frame, or null at the end of the stream (a file's end, a closed connection).
     *
     * @throws ImgStoreException when FFmpeg fails to read
     */
    public Image grab() {
        Frame f;
        try {
            f = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            throw new ImgStoreException("reading " + description + ": " + e.getMessage(), e);
        }
        if (f == null || f.image == null) {
            return null;
        }
        timestampMicros = f.timestamp;
        int h = f.imageHeight;
        int w = f.imageWidth;
        int c = color ? 3 : 1;
        if (f.imageChannels != c || f.imageDepth != Frame.DEPTH_UBYTE) {
            throw new ImgStoreException("unexpected frame from " + description + ": " + f.imageChannels
                    + " channels, depth " + f.imageDepth);
        }
        int rowBytes = w * c;
        int stride = f.imageStride; // bytes per row for 8-bit images
        ByteBuffer buf = ((ByteBuffer) f.image[0]).duplicate();
        byte[] data = new byte[h * rowBytes];
        for (int y = 0; y < h; y++) {
            buf.position(y * stride);
            buf.get(data, y * rowBytes, rowBytes);
        }
        return new Image(h, w, c, PixelType.UINT8, data);
    }

    /**
     * Presentation time of the last grabbed frame in microseconds on the source's clock
     * (relative to the stream's start), or -1 before the first frame.
     */
    public long timestampMicros() {
        return timestampMicros;
    }

    /** Frame rate the source announces (0 when unknown). */
    public double frameRate() {
        return grabber.getFrameRate();
    }

    /** The source and its input format, for messages and metadata. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    /** JavaCV's message without its generic hints ("Has setFormat() been called?"). */
    private static String shortMessage(Exception e) {
        String m = String.valueOf(e.getMessage());
        int hint = m.indexOf(" (Has setFormat()");
        return hint > 0 ? m.substring(0, hint) : m;
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // closing a broken source: nothing more to do
        }
    }
}
