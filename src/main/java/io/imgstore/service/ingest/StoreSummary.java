package io.imgstore.service.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imgstore.format.StoreMetadata;
import java.util.List;
import java.util.Map;

/**
 * What the write endpoints answer about a store ({@code POST /stores}, {@code POST /stores/{id}/close}).
 *
 * <p>Why a second summary: {@code read.StoreSummary} ({@code GET /stores/{id}}) is the owner of a
 * store's description and opens the store to give ranges, chunks and extra data; this one is made
 * from the open writer alone (no reader opened while frames are written) and shares its fields'
 * names and meaning: {@code id}, {@code path}, {@code class}, {@code format}, {@code imgshape},
 * {@code imgdtype}, {@code chunksize}, {@code encoding}, {@code uuid}, {@code created_utc},
 * {@code frame_count}, {@code user_metadata}, and {@link #openForWriting} (JSON {@code live} here,
 * {@code writing} there: the API names stay as published).
 *
 * @param id           the store id (use it in {@code /stores/{id}/...})
 * @param path         path relative to the store root
 * @param storeClass   {@code VideoImgStore} or {@code DirectoryImgStore}
 * @param format       the store format
 * @param imgshape     shape written to the metadata (video sizes rounded down to even)
 * @param imgdtype     numpy dtype name
 * @param chunksize    frames per chunk
 * @param encoding     imgstore encoding or null
 * @param uuid         the store's uuid
 * @param createdUtc   as in {@code metadata.yaml}
 * @param frameCount   frames written
 * @param openForWriting open for writing (JSON {@code live})
 * @param userMetadata the user metadata
 */
public record StoreSummary(
        String id,
        String path,
        @JsonProperty("class") String storeClass,
        String format,
        List<Integer> imgshape,
        String imgdtype,
        int chunksize,
        String encoding,
        String uuid,
        @JsonProperty("created_utc") String createdUtc,
        @JsonProperty("frame_count") long frameCount,
        @JsonProperty("live") boolean openForWriting,
        @JsonProperty("user_metadata") Map<String, Object> userMetadata) {

    static StoreSummary of(WriterSession s, boolean live) {
        StoreMetadata smd = StoreMetadata.ofStoreBlock(s.storeMetadata());
        return new StoreSummary(s.id(), s.path(), smd.storeClass(), smd.format(),
                shape(smd.imgshapeValues()), smd.imgdtype(), smd.chunksize(),
                smd.encoding(), smd.uuid(), smd.createdUtc(), s.frameCount(), live,
                s.spec().userMetadata());
    }

    /** A store that is not open for writing, as a reader sees it. */
    static StoreSummary of(String id, String path, io.imgstore.format.ImgStore store) {
        return new StoreSummary(id, path, store.storeClass(), store.format().name(),
                java.util.Arrays.stream(store.imgshape()).boxed().toList(), store.pixelType().dtype(), store.chunksize(),
                store.encoding(), store.uuid(), store.metadata().createdUtc(), store.frameCount(), false,
                store.userMetadata());
    }

    private static List<Integer> shape(Object o) {
        return o instanceof List<?> l ? l.stream().map(v -> ((Number) v).intValue()).toList() : List.of();
    }
}
