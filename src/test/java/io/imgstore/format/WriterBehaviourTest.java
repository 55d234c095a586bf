package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.npy.Npz;
import io.imgstore.testing.Barcode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer semantics that do not depend on a codec (npy stores). */
class WriterBehaviourTest {

    @TempDir
    Path tmp;

    private static Image frame(long n) {
        return Barcode.draw(n, 20, 32, 1, PixelType.UINT8);
    }

    @Test
    void wrongShapeOrDtypeIsRejectedAndNothingIsLost() {
        Path dir = tmp.resolve("s");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32).withChunksize(4))) {
            w.addImage(frame(1), 1, 1.0);
            assertThatThrownBy(() -> w.addImage(Barcode.draw(2, 21, 32, 1, PixelType.UINT8), 2, 2.0))
                    .isInstanceOf(InvalidImageException.class).hasMessageContaining("imgshape");
            assertThatThrownBy(() -> w.addImage(Barcode.draw(2, 20, 32, 3, PixelType.UINT8), 2, 2.0))
                    .isInstanceOf(InvalidImageException.class);
            assertThatThrownBy(() -> w.addImage(Barcode.draw(2, 20, 32, 1, PixelType.UINT16), 2, 2.0))
                    .isInstanceOf(InvalidImageException.class).hasMessageContaining("dtype");
            w.addImage(frame(2), 2, 2.0);
        }
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameMetadata().frameNumbers()).containsExactly(1, 2);
        }
    }

    @Test
    void aSecondWriterOnTheSameStoreIsRefused() {
        Path dir = tmp.resolve("s");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32))) {
            w.addImage(frame(0), 0, 0.0);
            assertThatThrownBy(() -> ImgStoreWriter.recover(dir)).isInstanceOf(StoreLockedException.class);
            assertThatThrownBy(() -> ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32)))
                    .isInstanceOf(StoreExistsException.class);
        }
    }

    @Test
    void emptyAndOneFrameStoresOpen() {
        Path empty = tmp.resolve("empty");
        ImgStoreWriter.create(empty, StoreSpec.of(StoreFormat.NPY, 20, 32)).close();
        try (ImgStore s = ImgStore.open(empty)) {
            assertThat(s.frameCount()).isZero();
            assertThat(s.frameMin()).isEmpty();
            assertThatThrownBy(s::nextFrame).isInstanceOf(EndOfStoreException.class);
            assertThatThrownBy(() -> s.getFrame(0)).isInstanceOf(FrameNotFoundException.class);
            assertThatThrownBy(() -> s.getFrameByIndex(0)).isInstanceOf(FrameNotFoundException.class);
            assertThatThrownBy(() -> s.getNearestFrameByTime(0)).isInstanceOf(FrameNotFoundException.class);
        }
        Path one = tmp.resolve("one");
        try (ImgStoreWriter w = ImgStoreWriter.create(one, StoreSpec.of(StoreFormat.NPY, 20, 32))) {
            w.addImage(frame(42), 42, 4.2);
        }
        try (ImgStore s = ImgStore.open(one)) {
            assertThat(s.frameCount()).isOne();
            assertThat(s.nextFrame().frameNumber()).isEqualTo(42);
            assertThatThrownBy(s::nextFrame).isInstanceOf(EndOfStoreException.class);
            assertThat(Barcode.decode(s.getNearestFrame(1000).image())).isEqualTo(42);
            assertThat(Barcode.decode(s.getNearestFrame(-1000).image())).isEqualTo(42);
        }
    }

    @Test
    void reindexMakesFrameZeroTheOrigin() {
        Path dir = tmp.resolve("s");
        long[] numbers = {6000, 6001, 6002, 0, 1, 2, 3};
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32).withChunksize(3))) {
            for (int i = 0; i < numbers.length; i++) {
                w.addImage(frame(numbers[i]), numbers[i], i);
                w.addExtraData(Map.of("i", i));
            }
        }
        ImgStoreWriter.reindex(dir);
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameMetadata().frameNumbers()).containsExactly(-3, -2, -1, 0, 1, 2, 3);
            assertThat(Barcode.decode(s.getFrame(-3).image())).isEqualTo(6000);
            List<Map<String, Object>> extra = s.extraData();
            assertThat(extra.get(0)).containsEntry("frame_number", -3).containsEntry("_frame_number_before_reindex", 6000);
        }
        var npz = Npz.read(dir.resolve("000000/index.npz"), null);
        assertThat(npz.get("_frame_number_before_reindex").toLongs()).containsExactly(6000, 6001, 6002);
    }

    @Test
    void reindexRefusesWithoutExactlyOneZero() {
        Path dir = tmp.resolve("s");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32))) {
            w.addImage(frame(5), 5, 0);
        }
        assertThatThrownBy(() -> ImgStoreWriter.reindex(dir)).hasMessageContaining("0 frame_number=0");
    }

    @Test
    void aKilledWriterIsRecoveredFromItsJournalAndContinued() throws Exception {
        Path dir = tmp.resolve("s");
        ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32).withChunksize(5));
        for (int i = 0; i < 12; i++) {
            w.addImage(frame(i), i, i);
            w.addExtraData(Map.of("i", i));
        }
        w.abandon();
        assertThat(dir.resolve(".lock")).exists();
        assertThat(dir.resolve("000002/index.journal")).exists();
        try (ImgStore live = ImgStore.open(dir)) {
            assertThat(live.frameCount()).as("open chunk readable through its journal").isEqualTo(12);
        }
        try (ImgStoreWriter again = ImgStoreWriter.recover(dir)) {
            assertThat(again.frameCount()).isEqualTo(12);
            again.addImage(frame(12), 12, 12);
        }
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameCount()).isEqualTo(13);
            for (int i = 0; i < 13; i++) {
                assertThat(Barcode.decode(s.getFrame(i).image())).isEqualTo(i);
            }
            assertThat(s.extraData()).hasSize(12);
        }
        assertThat(dir.resolve(".lock")).doesNotExist();
        assertThat(Files.exists(dir.resolve("000002/index.journal"))).isFalse();
    }

    @Test
    void emptyRemovesEverythingWritten() {
        Path dir = tmp.resolve("s");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32).withChunksize(2))) {
            for (int i = 0; i < 5; i++) {
                w.addImage(frame(i), i, i);
            }
            w.empty();
            w.addImage(frame(99), 99, 0);
        }
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameMetadata().frameNumbers()).containsExactly(99);
        }
    }

    @Test
    void badStoresGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> ImgStore.open(tmp.resolve("nothing"))).isInstanceOf(StoreNotFoundException.class);
        Path d = Files.createDirectories(tmp.resolve("bad"));
        assertThatThrownBy(() -> ImgStore.open(d)).isInstanceOf(StoreNotFoundException.class);
        Files.writeString(d.resolve("metadata.yaml"), "__store: {class: FooImgStore, version: 2}\n");
        assertThatThrownBy(() -> ImgStore.open(d)).isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("FooImgStore");
        Files.writeString(d.resolve("metadata.yaml"), "__store: {class: DirectoryImgStore, version: 3}\n");
        assertThatThrownBy(() -> ImgStore.open(d)).isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("version");
        Files.writeString(d.resolve("metadata.yaml"), "__store: {class: DirectoryImgStore, version: 2, format: bpk, "
                + "imgshape: [2, 2], imgdtype: uint8, chunksize: 10, encoding: null}\n");
        assertThatThrownBy(() -> ImgStore.open(d)).isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("bpk");
        Files.writeString(d.resolve("metadata.yaml"), "__store: [unclosed\n");
        assertThatThrownBy(() -> ImgStore.open(d)).isInstanceOf(CorruptStoreException.class);

        Path good = tmp.resolve("good");
        try (ImgStoreWriter w = ImgStoreWriter.create(good, StoreSpec.of(StoreFormat.NPY, 20, 32))) {
            w.addImage(frame(1), 1, 1);
        }
        Files.writeString(good.resolve("000000/index.npz"), "not a zip");
        assertThatThrownBy(() -> ImgStore.open(good)).isInstanceOf(CorruptStoreException.class).hasMessageContaining("index");
    }

    @Test
    void aChunkWithoutIndexIsSkipped() throws Exception {
        Path dir = tmp.resolve("s");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32).withChunksize(2))) {
            for (int i = 0; i < 6; i++) {
                w.addImage(frame(i), i, i);
            }
        }
        Files.delete(dir.resolve("000001/index.npz"));
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameMetadata().frameNumbers()).containsExactly(0, 1, 4, 5);
            assertThat(s.chunks()).containsExactly(0, 2);
            assertThat(Barcode.decode(s.getFrameByIndex(2).image())).isEqualTo(4);
        }
    }

    @Test
    void aMissingFrameFileIsACorruptStoreNotAWrongFrame() throws Exception {
        Path dir = tmp.resolve("s");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 20, 32))) {
            for (int i = 0; i < 3; i++) {
                w.addImage(frame(i), i, i);
            }
        }
        Files.delete(dir.resolve("000000/000001.npy"));
        try (ImgStore s = ImgStore.open(dir)) {
            assertThatThrownBy(() -> s.getFrame(1)).isInstanceOf(CorruptStoreException.class);
            assertThat(Barcode.decode(s.getFrame(2).image())).isEqualTo(2);
        }
    }
}
