package io.imgstore.service.ingest;

import io.imgstore.format.Image;
import io.imgstore.format.codec.ImageOps;

/**
 * The newest frame of an open writer, kept in memory for {@code /frames/latest} and {@code /live}.
 * Its JPEG is made at most once, when first asked for, and shared by every watcher.
 *
 * @param image       the frame as written (before any store {@code encoding} is applied)
 * @param frameNumber its number
 * @param frameTime   its time
 * @param frameIndex  its index in the store
 */
public record LatestFrame(Image image, long frameNumber, double frameTime, long frameIndex, JpegCache jpeg) {

    public LatestFrame(Image image, long frameNumber, double frameTime, long frameIndex) {
        this(image, frameNumber, frameTime, frameIndex, new JpegCache());
    }

    /**
     * The JPEG of the frame as a viewer sees it (store encoding applied), made once by {@code encoder}
     * and shared by every watcher.
     */
    public byte[] jpeg(String encoding, java.util.function.Function<Image, byte[]> encoder) {
        return jpeg.get(() -> encoder.apply(display(encoding)));
    }

    /** The frame as a viewer sees it: the store's {@code encoding} (e.g. Bayer) applied. */
    public Image display(String encoding) {
        return encoding == null || encoding.isBlank() ? image : ImageOps.decodeEncoding(image, encoding);
    }

    /** Memoised encoding. */
    public static final class JpegCache {
        private byte[] bytes;

        synchronized byte[] get(java.util.function.Supplier<byte[]> make) {
            if (bytes == null) {
                bytes = make.get();
            }
            return bytes;
        }
    }
}
