package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** imgstore's insert_chunk and extract_only_frame. */
class VideoStoreOperationsTest {

    @TempDir
    Path tmp;

    private Path video(String name, int first, int count) {
        Path file = tmp.resolve(name);
        try (VideoChunkWriter w = VideoChunkWriter.create(file, StoreFormat.AVC1_MP4, 48, 64, false, PixelType.UINT8,
                VideoEncoderSettings.defaults())) {
            for (int i = 0; i < count; i++) {
                w.write(Barcode.draw(first + i, 48, 64, 1, PixelType.UINT8));
            }
        }
        return file;
    }

    @Test
    void insertChunkAdoptsAVideoFileWithItsNumbersAndTimes() {
        Path dir = tmp.resolve("store");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.AVC1_MP4, 48, 64).withChunksize(10))) {
            for (int i = 0; i < 4; i++) {
                w.addImage(Barcode.draw(i, 48, 64, 1, PixelType.UINT8), i, i);
            }
            Path moved = video("a.mp4", 100, 7);
            w.insertChunk(moved, new long[] {100, 101, 102, 103, 104, 105, 106},
                    new double[] {10, 11, 12, 13, 14, 15, 16}, true);
            assertThat(moved).doesNotExist();
            Path copied = video("b.mp4", 200, 3);
            w.insertChunk(copied, new long[] {200, 201, 202}, new double[] {20, 21, 22}, false);
            assertThat(copied).exists();
            assertThatThrownBy(() -> w.insertChunk(tmp.resolve("c.avi"), new long[0], new double[0], true))
                    .isInstanceOf(InvalidImageException.class);
            w.addImage(Barcode.draw(300, 48, 64, 1, PixelType.UINT8), 300, 30);
        }
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.chunks()).containsExactly(0, 1, 2, 3);
            assertThat(s.frameCount()).isEqualTo(15);
            for (long n : new long[] {106, 0, 201, 300, 100, 3, 202}) {
                Frame f = s.getFrame(n);
                assertThat(Barcode.decode(f.image())).as("frame %d", n).isEqualTo(Barcode.expected(n));
            }
            assertThat(s.getFrame(104).frameTime()).isEqualTo(14.0);
        }
    }

    @Test
    void extractOnlyFrameReadsByIndexWithoutTheIndex() throws Exception {
        Path dir = tmp.resolve("store");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.PNG, 30, 48).withChunksize(4))) {
            for (int i = 0; i < 10; i++) {
                w.addImage(Barcode.draw(500 + i, 30, 48, 1, PixelType.UINT8), 500 + i, i);
            }
        }
        Files.delete(dir.resolve("000001/index.npz")); // not needed: chunk = index / chunksize
        assertThat(Barcode.decode(ImgStore.extractOnlyFrame(dir, 6))).isEqualTo(506);
        assertThat(Barcode.decode(ImgStore.extractOnlyFrame(dir.resolve("metadata.yaml"), 9))).isEqualTo(509);
    }

    @Test
    void extractOnlyFrameOfTheMotifStore() {
        Path motif = Fixtures.require().resolve("real/motif_store_mp4");
        assertThat(Barcode.decode(ImgStore.extractOnlyFrame(motif, 150))).isEqualTo(150);
    }
}
