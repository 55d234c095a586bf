package io.imgstore.service.read;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One entry of {@code GET /stores}: what {@code metadata.yaml} says, without opening the store.
 *
 * @param frameCount   frames, from the index files (cached until they change); null when unreadable
 * @param frameTimeMin earliest frame time; null without frames
 * @param frameTimeMax latest frame time; null without frames
 * @param writing a writer holds the store open ({@code .lock} present): its frames may still change
 * @param error   why the metadata could not be read (the store cannot be opened); absent otherwise
 */
record StoreListItem(
        String id,
        String path,
        @JsonProperty("class") String storeClass,
        String format,
        List<?> imgshape,
        String imgdtype,
        Integer chunksize,
        String uuid,
        @JsonProperty("created_utc") String createdUtc,
        @JsonProperty("frame_count") Integer frameCount,
        @JsonProperty("frame_time_min") @JsonSerialize(using = PlainNumberSerializer.class) Double frameTimeMin,
        @JsonProperty("frame_time_max") @JsonSerialize(using = PlainNumberSerializer.class) Double frameTimeMax,
        boolean writing,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
}
