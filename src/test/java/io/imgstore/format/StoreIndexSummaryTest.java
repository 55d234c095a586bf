package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreIndexSummaryTest {

    @TempDir
    Path tmp;

    private static StoreSpec spec(StoreFormat f, int chunksize) {
        return new StoreSpec(f, new int[] {8, 8}, PixelType.UINT8, chunksize, Map.of(), null, null);
    }

    private static Image image(int n) {
        byte[] px = new byte[64];
        px[0] = (byte) n;
        return new Image(8, 8, 1, PixelType.UINT8, px);
    }

    @Test
    void agreesWithTheOpenedStoreAcrossChunks() {
        Path dir = tmp.resolve("s");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec(StoreFormat.NPY, 4))) {
            for (int i = 0; i < 10; i++) {
                w.addImage(image(i), 100 + i, 1.7959645260282264E9 + (i == 3 ? -5 : i)); // not monotonic
            }
        }
        StoreIndexSummary s = StoreIndexSummary.read(dir, tmp);
        try (ImgStore st = ImgStore.open(dir)) {
            assertThat(s.frameCount()).isEqualTo(st.frameCount()).isEqualTo(10);
            assertThat(s.frameTimeMin()).isEqualTo(st.frameTimeMin()).isEqualTo(1.7959645260282264E9 - 5);
            assertThat(s.frameTimeMax()).isEqualTo(st.frameTimeMax());
        }
    }

    @Test
    void anEmptyStoreHasNoTimesAndAStoreBeingWrittenCountsItsJournal() {
        Path empty = tmp.resolve("empty");
        ImgStoreWriter.create(empty, spec(StoreFormat.NPY, 4)).close();
        assertThat(StoreIndexSummary.read(empty, null)).isEqualTo(new StoreIndexSummary(0, null, null));

        Path open = tmp.resolve("open");
        try (ImgStoreWriter w = ImgStoreWriter.create(open, spec(StoreFormat.NPY, 4))) {
            for (int i = 0; i < 6; i++) {
                w.addImage(image(i), i, 10.0 + i);
            }
            w.sync();
            long before = StoreIndexSummary.stamp(open);
            StoreIndexSummary s = StoreIndexSummary.read(open, null);
            assertThat(s.frameCount()).isEqualTo(6);
            assertThat(s.frameTimeMax()).isEqualTo(15.0);
            w.addImage(image(6), 6, 16.0);
            w.sync();
            assertThat(StoreIndexSummary.stamp(open)).isNotEqualTo(before);
            assertThat(StoreIndexSummary.read(open, null).frameCount()).isEqualTo(7);
        }
        assertThat(StoreIndexSummary.read(open, null).frameCount()).isEqualTo(7);
    }
}
