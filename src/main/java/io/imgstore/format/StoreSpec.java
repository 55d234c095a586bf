package io.imgstore.format;

import io.imgstore.format.codec.VideoEncoderSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a new store holds: imgstore's {@code new_for_format(fmt, imgshape=, imgdtype=, chunksize=,
 * metadata=, encoding=)}.
 *
 * @param format       the store format
 * @param imgshape     {@code [h, w]} for gray, {@code [h, w, 3]} for BGR colour (video stores round h and w down to even)
 * @param pixelType    sample type ({@code uint16} only for lossless image formats)
 * @param chunksize    frames per chunk
 * @param userMetadata user metadata written beside the {@code __store} block (may be empty)
 * @param encoding     imgstore {@code encoding} of the stored frames (e.g. {@code cv_bayerbg}) or null
 * @param encoder      video encoder settings (ignored for image formats)
 */
public record StoreSpec(StoreFormat format, int[] imgshape, PixelType pixelType, int chunksize,
                        Map<String, Object> userMetadata, String encoding, VideoEncoderSettings encoder) {

    /** imgstore's default chunk sizes: 10000 frames for video, 200 for image folders. */
    public static int defaultChunksize(StoreFormat format) {
        return format.video() ? 10000 : 200;
    }

    public StoreSpec {
        if (format == null) {
            throw new UnsupportedFormatException("format is required");
        }
        if (imgshape == null || imgshape.length < 2 || imgshape.length > 3 || imgshape[0] <= 0 || imgshape[1] <= 0
                || (imgshape.length == 3 && imgshape[2] != 3)) {
            throw new InvalidImageException("imgshape must be [h, w] or [h, w, 3] with positive sizes, got "
                    + Arrays.toString(imgshape));
        }
        if (format.video() && (imgshape[0] < 2 || imgshape[1] < 2)) {
            throw new InvalidImageException("video frames must be at least 2x2, got " + Arrays.toString(imgshape));
        }
        if (pixelType == null) {
            pixelType = PixelType.UINT8;
        }
        if (pixelType != PixelType.UINT8 && (format.video() || !format.lossless() || format == StoreFormat.BMP)) {
            throw new UnsupportedFormatException("format '" + format + "' stores only uint8 frames");
        }
        if (chunksize <= 0) {
            throw new InvalidImageException("chunksize must be positive, got " + chunksize);
        }
        imgshape = imgshape.clone();
        userMetadata = userMetadata == null ? Map.of() : new LinkedHashMap<>(userMetadata);
        if (userMetadata.containsKey(StoreLayout.STORE_KEY)) {
            throw new InvalidImageException("user metadata must not contain the key '__store'");
        }
        if (encoder == null && format.video()) {
            encoder = VideoEncoderSettings.defaults();
        }
    }

    /** A spec with imgstore's defaults: uint8, default chunksize, no user metadata, no encoding. */
    public static StoreSpec of(StoreFormat format, int... imgshape) {
        return new StoreSpec(format, imgshape, PixelType.UINT8, defaultChunksize(format), Map.of(), null, null);
    }

    public StoreSpec withChunksize(int n) {
        return new StoreSpec(format, imgshape, pixelType, n, userMetadata, encoding, encoder);
    }

    public StoreSpec withPixelType(PixelType t) {
        return new StoreSpec(format, imgshape, t, chunksize, userMetadata, encoding, encoder);
    }

    public StoreSpec withUserMetadata(Map<String, Object> m) {
        return new StoreSpec(format, imgshape, pixelType, chunksize, m, encoding, encoder);
    }

    public StoreSpec withEncoding(String e) {
        return new StoreSpec(format, imgshape, pixelType, chunksize, userMetadata, e, encoder);
    }

    public StoreSpec withEncoder(VideoEncoderSettings s) {
        return new StoreSpec(format, imgshape, pixelType, chunksize, userMetadata, encoding, s);
    }

    public boolean color() {
        return imgshape.length == 3;
    }

    /** The shape written to metadata: video sizes rounded down to even, as imgstore does. */
    public int[] writtenShape() {
        int[] s = imgshape.clone();
        if (format.video()) {
            s[0] &= -2;
            s[1] &= -2;
        }
        return s;
    }
}
