package io.imgstore.format.internal;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Fuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a mutated {@code metadata.yaml} ends in the library's own exceptions, both when only
 * read ({@link MetadataYaml#read}) and when a store is opened with it ({@link ImgStore#open}), within
 * bounded memory.
 */
class MetadataYamlFuzzTest {

    private static final long MAX_ALLOCATED = 32L << 20;

    @TempDir
    Path dir;

    private List<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path store = dir.resolve("seed");
        try (ImgStoreWriter w = ImgStoreWriter.create(store, StoreSpec.of(StoreFormat.NPY, 12, 16).withChunksize(4)
                .withUserMetadata(Map.of("rig", "rig1", "exposure", 0.02)))) {
            for (int i = 0; i < 3; i++) {
                w.addImage(Image.blank(12, 16, 1, PixelType.UINT8), i, 10 + i);
            }
        }
        seeds.add(Files.readAllBytes(store.resolve(MetadataYaml.FILENAME)));
        // as Python 2 era imgstore wrote it
        seeds.add(("__store: {chunksize: 4, class: DirectoryImgStore, encoding: null, extension: .npy, format: npy,\n"
                + "  imgdtype: uint8, imgshape: !!python/tuple [12, 16], uuid: 0f0e, version: 2}\n"
                + "user: !!python/unicode 'x'\n").getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    @Test
    void mutatedMetadataEndsInLibraryExceptions() throws IOException {
        List<byte[]> seeds = seeds();
        Path store = dir.resolve("seed");
        ImgStore.open(store).close(); // one-off class loading
        Fuzz.forAll("metadata.yaml", 500, (r, i) -> {
            byte[] input = Fuzz.input(seeds, r);
            Files.write(store.resolve(MetadataYaml.FILENAME), input);
            Fuzz.check("MetadataYaml.read", MAX_ALLOCATED, () -> MetadataYaml.read(store), ImgStoreException.class);
            Fuzz.check("ImgStore.open", MAX_ALLOCATED, () -> {
                try (ImgStore s = ImgStore.open(store)) {
                    s.frameCount();
                }
            }, ImgStoreException.class);
        });
    }
}
