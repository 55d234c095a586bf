package io.imgstore.service.read;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of {@code GET /stores}: what {@code metadata.yaml} says, without opening the store.
 *
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
        boolean writing,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
}
