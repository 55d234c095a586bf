package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.testing.Barcode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImgStoreWriter#setChunkFinishedListener}: called once per chunk, with its number, when its
 * data and index are final (filled up, adopted by insertChunk, the last one at close), never for the
 * open chunk.
 */
class ChunkFinishedListenerTest {

    @TempDir
    Path tmp;

    @Test
    void everyFinishedChunkIsReportedOnceWithItsFilesInPlace() {
        Path dir = tmp.resolve("store");
        List<Integer> finished = new ArrayList<>();
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.AVC1_MP4, 48, 64).withChunksize(4))) {
            StoreLayout layout = w.layout();
            w.setChunkFinishedListener(chunk -> {
                assertThat(layout.videoChunkFile(chunk)).isRegularFile();
                assertThat(layout.npzIndex(chunk)).isRegularFile();
                assertThat(layout.journal(chunk)).doesNotExist();
                finished.add(chunk);
            });
            for (int i = 0; i < 9; i++) {
                w.addImage(Barcode.draw(i, 48, 64, 1, PixelType.UINT8), i, i);
            }
            assertThat(finished).containsExactly(0, 1);
            Path adopted = tmp.resolve("a.mp4");
            try (VideoChunkWriter v = VideoChunkWriter.create(adopted, StoreFormat.AVC1_MP4, 48, 64, false,
                    PixelType.UINT8, VideoEncoderSettings.defaults())) {
                v.write(Barcode.draw(100, 48, 64, 1, PixelType.UINT8));
            }
            // the open chunk 2 (one frame) is finished first, then the adopted file becomes chunk 3
            w.insertChunk(adopted, new long[] {100}, new double[] {100}, true);
            assertThat(finished).containsExactly(0, 1, 2, 3);
            w.addImage(Barcode.draw(200, 48, 64, 1, PixelType.UINT8), 200, 200);
        }
        assertThat(finished).containsExactly(0, 1, 2, 3, 4);
        assertThat(Files.exists(dir.resolve(".lock"))).isFalse();
    }
}
