package io.imgstore.service.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /stores}: imgstore's {@code new_for_format(format, imgshape=, imgdtype=,
 * chunksize=, metadata=, encoding=)} plus where the store goes.
 *
 * @param path         where, relative to the store root ({@code rig1/exp_20240501_101500})
 * @param format       {@code avc1/mp4}, {@code mjpeg/avi}, {@code h264/mkv}, {@code npy}, {@code png}, ...
 * @param imgshape     {@code [h, w]} (gray) or {@code [h, w, 3]} (BGR)
 * @param imgdtype     {@code uint8} (default) or {@code uint16} (lossless image formats)
 * @param chunksize    frames per chunk (imgstore's default for the format when absent)
 * @param userMetadata written to {@code metadata.yaml} beside {@code __store}
 * @param encoding     imgstore {@code encoding} of the frames (e.g. {@code cv_bayerbg}) or null
 * @param existOk      {@code exist_ok}: when a store is already at {@code path} with the same format,
 *                     imgshape and imgdtype, continue it (open, or reopened if closed) instead of a 409
 */
public record CreateStoreRequest(
        String path,
        String format,
        List<Integer> imgshape,
        String imgdtype,
        Integer chunksize,
        @JsonProperty("user_metadata") Map<String, Object> userMetadata,
        String encoding,
        @JsonProperty("exist_ok") Boolean existOk) {

    /** A request without {@code exist_ok} (a store already at the path is a 409). */
    public CreateStoreRequest(String path, String format, List<Integer> imgshape, String imgdtype, Integer chunksize,
            Map<String, Object> userMetadata, String encoding) {
        this(path, format, imgshape, imgdtype, chunksize, userMetadata, encoding, null);
    }
}
