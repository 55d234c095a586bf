package io.imgstore.format.codec;

import static org.bytedeco.opencv.global.opencv_imgproc.*;

import io.imgstore.format.Image;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.UnsupportedFormatException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Pixel conversions done with OpenCV (imgproc). */
public final class ImageOps {

    /** An imgstore encoding: the cvtColor code and the channel count the raw frame must have. */
    private record Encoding(int cvCode, int inputChannels) {
    }

    /**
     * imgstore's {@code ImageCodecProcessor} names every {@code cv2.COLOR_<X>2BGR[_<M>]} constant
     * {@code cv_<x>[_<m>]} (lower case, underscores in X dropped; Bayer method variants skipped).
     * These are the ones whose raw frames fit an {@link Image} (1 or 3 channels): the packed
     * 2-channel (YUYV, BGR565, ...) and 4-channel (BGRA, RGBA) ones cannot be stored as such here.
     */
    private static final Map<String, Encoding> ENCODINGS;

    static {
        Map<String, Encoding> m = new LinkedHashMap<>();
        // Bayer mosaics: 1 channel in, BGR out (8 or 16 bit).
        m.put("cv_bayerbg", new Encoding(COLOR_BayerBG2BGR, 1));
        m.put("cv_bayergb", new Encoding(COLOR_BayerGB2BGR, 1));
        m.put("cv_bayergr", new Encoding(COLOR_BayerGR2BGR, 1));
        m.put("cv_bayerrg", new Encoding(COLOR_BayerRG2BGR, 1));
        // OpenCV >= 4.10 aliases (what imgstore would derive with a newer cv2).
        m.put("cv_bayerbggr", new Encoding(COLOR_BayerBGGR2BGR, 1));
        m.put("cv_bayergbrg", new Encoding(COLOR_BayerGBRG2BGR, 1));
        m.put("cv_bayergrbg", new Encoding(COLOR_BayerGRBG2BGR, 1));
        m.put("cv_bayerrggb", new Encoding(COLOR_BayerRGGB2BGR, 1));
        // Planar / semi-planar YUV 4:2:0: one channel of height h*3/2 in, h x w BGR out (8 bit).
        m.put("cv_yuv_nv12", new Encoding(COLOR_YUV2BGR_NV12, 1));
        m.put("cv_yuv_nv21", new Encoding(COLOR_YUV2BGR_NV21, 1));
        m.put("cv_yuv420sp", new Encoding(COLOR_YUV420sp2BGR, 1));
        m.put("cv_yuv_yv12", new Encoding(COLOR_YUV2BGR_YV12, 1));
        m.put("cv_yuv_iyuv", new Encoding(COLOR_YUV2BGR_IYUV, 1));
        m.put("cv_yuv_i420", new Encoding(COLOR_YUV2BGR_I420, 1));
        m.put("cv_yuv420p", new Encoding(COLOR_YUV420p2BGR, 1));
        m.put("cv_gray", new Encoding(COLOR_GRAY2BGR, 1));
        // 3 channels in, BGR out.
        m.put("cv_rgb", new Encoding(COLOR_RGB2BGR, 3));
        m.put("cv_yuv", new Encoding(COLOR_YUV2BGR, 3));
        m.put("cv_ycrcb", new Encoding(COLOR_YCrCb2BGR, 3));
        m.put("cv_xyz", new Encoding(COLOR_XYZ2BGR, 3));
        m.put("cv_hsv", new Encoding(COLOR_HSV2BGR, 3));
        m.put("cv_hls", new Encoding(COLOR_HLS2BGR, 3));
        m.put("cv_hsv_full", new Encoding(COLOR_HSV2BGR_FULL, 3));
        m.put("cv_hls_full", new Encoding(COLOR_HLS2BGR_FULL, 3));
        m.put("cv_lab", new Encoding(COLOR_Lab2BGR, 3));
        m.put("cv_luv", new Encoding(COLOR_Luv2BGR, 3));
        ENCODINGS = Collections.unmodifiableMap(m);
    }

    private ImageOps() {
    }

    /** The imgstore {@code encoding} values {@link #decodeEncoding} knows. */
    public static Set<String> supportedEncodings() {
        return ENCODINGS.keySet();
    }

    /** BGR to gray as {@code cv2.cvtColor(img, COLOR_BGR2GRAY)}; gray input returned as is. */
    public static Image toGray(Image image) {
        if (image.channels() == 1) {
            return image;
        }
        return cvtColor(image, COLOR_BGR2GRAY, "BGR to gray");
    }

    /** Gray to 3-channel BGR; colour input returned as is. */
    public static Image toBgr(Image image) {
        if (image.channels() == 3) {
            return image;
        }
        return cvtColor(image, COLOR_GRAY2BGR, "gray to BGR");
    }

    /** Swaps channels 0 and 2 (BGR to RGB or back); gray returned as is. */
    public static Image swapRedBlue(Image image) {
        if (image.channels() == 1) {
            return image;
        }
        byte[] src = image.data();
        byte[] dst = src.clone();
        int bytes = image.pixelType().bytes();
        int pixel = 3 * bytes;
        for (int i = 0; i < src.length; i += pixel) {
            for (int b = 0; b < bytes; b++) {
                dst[i + b] = src[i + 2 * bytes + b];
                dst[i + 2 * bytes + b] = src[i + b];
            }
        }
        return new Image(image.height(), image.width(), 3, image.pixelType(), dst);
    }

    /** Whether {@link #decodeEncoding} knows this imgstore {@code encoding} value (null/empty: no-op). */
    public static boolean supportsEncoding(String encoding) {
        return isNoEncoding(encoding) || ENCODINGS.containsKey(normalize(encoding));
    }

    /**
     * Applies an imgstore {@code encoding} to a raw stored frame, as imgstore's
     * {@code ImageCodecProcessor.autoconvert} does on read: {@code cv_bayerbg}, {@code cv_bayergb},
     * {@code cv_bayergr}, {@code cv_bayerrg} (and the other codes it knows) give BGR colour frames.
     * A null or empty encoding returns the image unchanged.
     *
     * @throws io.imgstore.format.UnsupportedFormatException for unknown encodings
     */
    public static Image decodeEncoding(Image raw, String encoding) {
        if (isNoEncoding(encoding)) {
            return raw;
        }
        Encoding e = ENCODINGS.get(normalize(encoding));
        if (e == null) {
            throw new UnsupportedFormatException("unknown image encoding '" + encoding + "'; supported: "
                    + ENCODINGS.keySet());
        }
        if (raw.channels() != e.inputChannels()) {
            throw new InvalidImageException("encoding '" + encoding + "' needs " + e.inputChannels()
                    + "-channel raw frames, got " + raw);
        }
        return cvtColor(raw, e.cvCode(), "encoding '" + encoding + "'");
    }

    /** Resizes with area interpolation (for thumbnails); keeps channels and depth. */
    public static Image resize(Image image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        try (PointerScope scope = new PointerScope()) {
            Mat src = Mats.toMat(image);
            Mat dst = new Mat();
            org.bytedeco.opencv.global.opencv_imgproc.resize(src, dst, new Size(width, height), 0, 0, INTER_AREA);
            return Mats.toImage(dst);
        }
    }

    private static Image cvtColor(Image image, int code, String what) {
        try (PointerScope scope = new PointerScope()) {
            Mat src = Mats.toMat(image);
            Mat dst = new Mat();
            try {
                org.bytedeco.opencv.global.opencv_imgproc.cvtColor(src, dst, code);
            } catch (RuntimeException ex) {
                throw new InvalidImageException("cannot apply " + what + " to " + image + ": " + ex.getMessage(), ex);
            }
            return Mats.toImage(dst);
        }
    }

    private static boolean isNoEncoding(String encoding) {
        return encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("none");
    }

    private static String normalize(String encoding) {
        return encoding.trim().toLowerCase(Locale.ROOT);
    }
}
