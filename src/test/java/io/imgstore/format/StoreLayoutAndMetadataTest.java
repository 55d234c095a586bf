package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLayoutAndMetadataTest {

    @TempDir
    Path dir;

    @Test
    void videoAndDirectoryStoresNameTheirFilesAsImgstore() {
        StoreLayout v = StoreLayout.of(dir, StoreFormat.AVC1_MP4);
        assertThat(v.videoChunkFile(3)).isEqualTo(dir.resolve("000003.mp4"));
        assertThat(v.npzIndex(3)).isEqualTo(dir.resolve("000003.npz"));
        assertThat(v.journal(3)).isEqualTo(dir.resolve("000003.journal"));
        assertThat(v.extraJson(3)).isEqualTo(dir.resolve("000003.extra.json"));
        StoreLayout d = StoreLayout.of(dir, StoreFormat.PNG);
        assertThat(d.frameFile(1, 12)).isEqualTo(dir.resolve("000001").resolve("000012.png"));
        assertThat(d.yamlIndex(1)).isEqualTo(dir.resolve("000001").resolve("index.yaml"));
        assertThat(d.extraJson(1)).isEqualTo(dir.resolve("000001").resolve("index.extra.json"));
        assertThat(d.metadataFile()).isEqualTo(dir.resolve("metadata.yaml"));
        assertThat(StoreLayout.MOTIF_EXTRA_DATA.matcher("000000.extra_data.h5").matches()).isTrue();
    }

    @Test
    void aWriterHoldsTheLockFile() {
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.PNG, 4, 6))) {
            assertThat(w.layout().isBeingWritten()).isTrue();
        }
        assertThat(StoreLayout.isBeingWritten(dir)).isFalse();
    }

    @Test
    void metadataRoundTripsWithUnknownKeysKept() throws Exception {
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 4, 6, 3)
                .withUserMetadata(Map.of("rig", "r1")))) {
            assertThat(w.metadata().storeClass()).isEqualTo("DirectoryImgStore");
        }
        StoreMetadata md = StoreMetadata.read(dir);
        assertThat(md.format()).isEqualTo("npy");
        assertThat(md.imgshape()).containsExactly(4, 6, 3);
        assertThat(md.chunksize()).isEqualTo(200);
        assertThat(md.user()).containsEntry("rig", "r1");
        assertThat(md.unknown()).isEmpty();

        Map<String, Object> store = new LinkedHashMap<>(md.store());
        store.put("motif_extra", List.of(1, 2));
        new StoreMetadata(store, md.user()).write(dir);
        StoreMetadata again = StoreMetadata.read(dir);
        assertThat(again.unknown()).containsEntry("motif_extra", List.of(1, 2));
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.metadata().uuid()).isEqualTo(md.uuid());
            assertThat(s.storeMetadata()).containsKey("motif_extra");
        }
    }

    @Test
    void aFileWithoutStoreBlockIsCorrupt() throws Exception {
        Files.writeString(dir.resolve("metadata.yaml"), "rig: r1\n");
        assertThatThrownBy(() -> StoreMetadata.read(dir)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("__store");
    }

    @Test
    void sixteenBitFramesKeepTheirHighByte() {
        Image u16 = Image.blank(1, 2, 1, PixelType.UINT16);
        u16.setSample(0, 0, 0, 0xABCD);
        u16.setSample(0, 1, 0, 0x00FF);
        Image u8 = u16.toEightBit();
        assertThat(u8.pixelType()).isEqualTo(PixelType.UINT8);
        assertThat(u8.sample(0, 0, 0)).isEqualTo(0xAB);
        assertThat(u8.sample(0, 1, 0)).isZero();
        assertThat(u8.toEightBit()).isSameAs(u8);
    }
}
