package io.imgstore.service.read;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * {@code GET /stores/{id}}: a store opened and summarised, in imgstore's field names.
 * {@code frame_min}, {@code frame_max}, {@code frame_time_min}, {@code frame_time_max} are null for a
 * store without frames. The owner of a store's description; {@code ingest.StoreSummary} (the
 * write endpoints' answer) is a subset of it made from the open writer. {@link #openForWriting} is
 * JSON {@code writing} here and {@code live} there (published names).
 */
record StoreSummary(
        String id,
        String path,
        @JsonProperty("class") String storeClass,
        String format,
        String encoding,
        String imgdtype,
        @JsonProperty("image_shape") int[] imageShape,
        int[] imgshape,
        int chunksize,
        @JsonProperty("frame_count") int frameCount,
        @JsonProperty("frame_min") Long frameMin,
        @JsonProperty("frame_max") Long frameMax,
        @JsonProperty("frame_time_min") @JsonSerialize(using = PlainNumberSerializer.class) Double frameTimeMin,
        @JsonProperty("frame_time_max") @JsonSerialize(using = PlainNumberSerializer.class) Double frameTimeMax,
        int[] chunks,
        String uuid,
        @JsonProperty("created_utc") String createdUtc,
        @JsonProperty("timezone_local") String timezoneLocal,
        @JsonProperty("user_metadata") Map<String, Object> userMetadata,
        @JsonProperty("has_extra_data") boolean hasExtraData,
        boolean lossless,
        @JsonProperty("writing") boolean openForWriting) {
}
