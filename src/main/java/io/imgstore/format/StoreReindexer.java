package io.imgstore.format;

import io.imgstore.format.internal.ChunkIndex;
import io.imgstore.format.internal.ExtraDataFiles;
import io.imgstore.format.npy.NpyArray;
import io.imgstore.format.npy.Npz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** imgstore's {@code reindex()}: {@link ImgStoreWriter#reindex(Path)} is the public entry point. Package-private. */
final class StoreReindexer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StoreReindexer() {
    }

    /** See {@link ImgStoreWriter#reindex(Path)}. */
    static void reindex(Path storePath) {
        Path dir = ImgStore.storeDir(storePath);
        long[] numbers;
        int[] chunks;
        StoreLayout layout;
        try (ImgStore s = ImgStore.open(dir)) {
            numbers = s.frameMetadata().frameNumbers();
            chunks = s.chunks();
            layout = s.layout();
        }
        int zeros = 0;
        int zeroIdx = -1;
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] == 0) {
                zeros++;
                zeroIdx = i;
            }
        }
        if (zeros != 1) {
            throw new ImgStoreException(zeros + " frame_number=0 found (should be 1)");
        }
        long[] renumbered = numbers.clone();
        for (int i = 0; i < zeroIdx; i++) {
            renumbered[i] = i - zeroIdx;
        }
        int offset = 0;
        for (int chunk : chunks) {
            Path base = layout.indexBase(chunk);
            ChunkIndex old = ChunkIndex.load(chunk, base).orElseThrow();
            long[] fresh = Arrays.copyOfRange(renumbered, offset, offset + old.size());
            Map<String, NpyArray> members = new LinkedHashMap<>();
            members.put("frame_time", NpyArray.ofDoubles(old.frameTimes()));
            members.put("frame_number", NpyArray.ofLongs(fresh));
            members.put("_frame_number_before_reindex", NpyArray.ofLongs(old.frameNumbers()));
            try {
                Files.deleteIfExists(layout.yamlIndex(chunk));
            } catch (IOException e) {
                throw new ImgStoreException("cannot replace index: " + e.getMessage(), e);
            }
            Npz.write(layout.npzIndex(chunk), members);
            Path extra = layout.extraJson(chunk);
            if (Files.isRegularFile(extra)) {
                List<Map<String, Object>> rows = ExtraDataFiles.readJson(extra);
                for (Map<String, Object> r : rows) {
                    if (!(r.get("frame_index") instanceof Number fi)) {
                        throw new ImgStoreException("can not reindex extra-data on old format stores");
                    }
                    r.put("_frame_number_before_reindex", r.get("frame_number"));
                    r.put("frame_number", renumbered[fi.intValue()]);
                }
                try {
                    Files.writeString(extra, JSON.writeValueAsString(rows), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new ImgStoreException("cannot rewrite extra data: " + e.getMessage(), e);
                }
            }
            offset += old.size();
        }
    }
}
