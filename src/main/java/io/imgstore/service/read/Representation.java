package io.imgstore.service.read;

import org.springframework.http.MediaType;

/**
 * How a frame is sent: the file type, JPEG quality, and the size asked for.
 *
 * @param kind    png, jpeg or npy
 * @param quality JPEG quality 1..100 (0 for other kinds)
 * @param width   asked width, or 0
 * @param height  asked height, or 0
 */
public record Representation(Kind kind, int quality, int width, int height) {

    static final MediaType NPY = new MediaType("application", "x-npy");

    public enum Kind {
        PNG(MediaType.IMAGE_PNG, "png"),
        JPEG(MediaType.IMAGE_JPEG, "jpeg"),
        NPY(Representation.NPY, "npy");

        final MediaType mediaType;
        final String token;

        Kind(MediaType mediaType, String token) {
            this.mediaType = mediaType;
            this.token = token;
        }
    }

    static Representation png() {
        return new Representation(Kind.PNG, 0, 0, 0);
    }

    public MediaType mediaType() {
        return kind.mediaType;
    }

    boolean resized() {
        return width > 0 || height > 0;
    }

    /** Names this representation inside an ETag: {@code png}, {@code jpeg-q90}, {@code npy-w320}, ... */
    String token() {
        StringBuilder t = new StringBuilder(kind.token);
        if (kind == Kind.JPEG) {
            t.append("-q").append(quality);
        }
        if (width > 0) {
            t.append("-w").append(width);
        }
        if (height > 0) {
            t.append("-h").append(height);
        }
        return t.toString();
    }

    /**
     * The size a {@code srcWidth x srcHeight} frame is sent at: unchanged without {@code width}/
     * {@code height}; with one of them the other follows the aspect ratio; with both the frame
     * fits inside that box, keeping its aspect ratio (a thumbnail). Frames are never enlarged.
     *
     * @return {width, height}
     */
    int[] targetSize(int srcWidth, int srcHeight) {
        if (!resized()) {
            return new int[] {srcWidth, srcHeight};
        }
        double scale = Double.MAX_VALUE;
        if (width > 0) {
            scale = width / (double) srcWidth;
        }
        if (height > 0) {
            scale = Math.min(scale, height / (double) srcHeight);
        }
        if (scale >= 1) {
            return new int[] {srcWidth, srcHeight};
        }
        return new int[] {scaled(srcWidth, scale), scaled(srcHeight, scale)};
    }

    private static int scaled(int size, double scale) {
        return (int) Math.max(1, Math.round(size * scale));
    }
}
