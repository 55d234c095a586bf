package io.imgstore.format;

import io.imgstore.format.codec.VideoChunkReader;
import io.imgstore.format.internal.ChunkIndex;
import io.imgstore.format.internal.ExtraDataFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reopening a store whose writer died: {@link ImgStoreWriter#recover(Path)} is the public entry
 * point. Package-private.
 */
final class StoreRecovery {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StoreRecovery() {
    }

    /** See {@link ImgStoreWriter#recover(Path)}. */
    static ImgStoreWriter recover(Path dir) {
        // the lock and lease first: recovery rewrites indexes, which only the store's one writer may do
        boolean crashed = StoreLayout.isBeingWritten(dir);
        WriterLock lock = WriterLock.acquire(dir);
        try {
            return recover(dir, lock);
        } catch (RuntimeException | Error e) {
            lock.release(!crashed); // a store that was closed stays closed; a crashed one keeps its .lock
            throw e;
        }
    }

    private static ImgStoreWriter recover(Path dir, WriterLock lock) {
        try (ImgStore probe = ImgStore.open(dir)) {
            // validates metadata; probe sees the journal-backed chunk too
            probe.frameCount();
        }
        StoreMetadata md = StoreMetadata.read(dir);
        Map<String, Object> smd = new LinkedHashMap<>(md.store());
        StoreFormat format = StoreFormat.of(String.valueOf(smd.get(StoreMetadata.FORMAT)));
        int[] shape = md.imgshape();
        String enc = md.encoding();
        StoreSpec spec = new StoreSpec(format, shape, PixelType.ofDtype(String.valueOf(smd.get(StoreMetadata.IMGDTYPE))),
                md.chunksize(), md.user(), enc == null || enc.isBlank() ? null : enc, null);
        StoreLayout layout = StoreLayout.of(dir, format);

        int lastChunk = -1;
        long frames = 0;
        long lastNumber = 0;
        double lastTime = Double.NaN;
        for (int chunk = 0; ; chunk++) {
            boolean exists = format.video() ? Files.exists(layout.videoChunkFile(chunk))
                    || Files.exists(layout.journal(chunk)) : Files.isDirectory(layout.chunkFolder(chunk));
            if (!exists) {
                break;
            }
            lastChunk = chunk;
            ChunkIndex idx = recoverChunk(layout, format, chunk, smd, spec.color());
            frames += idx.size();
            if (idx.size() > 0) {
                lastNumber = idx.frameNumbers()[idx.size() - 1];
                lastTime = idx.frameTimes()[idx.size() - 1];
            }
        }
        return ImgStoreWriter.resume(dir, spec, smd, lastChunk + 1, frames, lastNumber, lastTime, lock);
    }

    private static ChunkIndex recoverChunk(StoreLayout layout, StoreFormat format, int chunk,
                                           Map<String, Object> smd, boolean color) {
        Path base = layout.indexBase(chunk);
        var existing = ChunkIndex.load(chunk, base);
        if (StoreLayout.hasWrittenIndex(base)) {
            return existing.orElseThrow();
        }
        ChunkIndex journal = existing.orElse(new ChunkIndex(chunk, new long[0], new double[0]));
        int present = countReadableFrames(layout, format, chunk, journal.size(), color);
        ChunkIndex kept = new ChunkIndex(chunk, Arrays.copyOf(journal.frameNumbers(), present),
                Arrays.copyOf(journal.frameTimes(), present));
        kept.writeNpz(base, smd);
        layout.journal(chunk).toFile().delete();
        closeExtraJson(layout.extraJson(chunk));
        return kept;
    }

    private static int countReadableFrames(StoreLayout layout, StoreFormat format, int chunk, int journalled,
                                           boolean color) {
        if (format.video()) {
            Path file = layout.videoChunkFile(chunk);
            if (!Files.isRegularFile(file)) {
                return 0;
            }
            try (var r = VideoChunkReader.open(file, color)) {
                return Math.min(journalled, r.frameCount());
            } catch (ImgStoreException e) {
                return 0;
            }
        }
        int n = 0;
        while (n < journalled && Files.isRegularFile(layout.frameFile(chunk, n))) {
            n++;
        }
        return n;
    }

    /** Terminates an extra-data file left open (its records are parsed and written back as a JSON array). */
    private static void closeExtraJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<Map<String, Object>> rows = ExtraDataFiles.readJson(file);
        try {
            Files.writeString(file, JSON.writeValueAsString(rows), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImgStoreException("cannot rewrite " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
