package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.storage.StoreFiles;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.CountingStoreFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store being written (open chunk indexed by its journal, video file growing) reads the same
 * through the seam as from the disk: {@link CountingStoreFiles} over the local disk has no local
 * file, so the journal, the chunk listing and the growing video chunk (FFmpeg's custom I/O) all go
 * through {@link StoreFiles}; after every frame written both readers count the same frames and
 * return the same newest frame.
 */
class SeamLiveStoreTest {

    @ParameterizedTest
    @ValueSource(strings = {"avc1/mp4", "h264/mkv", "mjpeg/avi", "png"})
    void aStoreBeingWrittenReadsTheSameThroughTheSeam(String format, @TempDir Path root) {
        Path dir = root.resolve("rig/live");
        StoreSpec spec = StoreSpec.of(StoreFormat.of(format), 32, 48).withChunksize(25);
        CountingStoreFiles seam = new CountingStoreFiles(StoreFiles.LOCAL);
        int nonEmpty = 0;
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec)) {
            for (int i = 0; i < 60; i++) {
                w.addImage(Barcode.draw(i, 32, 48, 1, PixelType.UINT8), i, 1000.0 + i / 30.0);
                try (ImgStore local = ImgStore.open(dir, 2, root);
                     ImgStore through = ImgStore.open(dir, seam, 2, root)) {
                    assertThat(through.frameCount()).as("frames after %d written", i + 1).isEqualTo(local.frameCount());
                    assertThat(through.frameMetadata().frameNumbers()).isEqualTo(local.frameMetadata().frameNumbers());
                    int n = through.frameCount();
                    if (n > 0) {
                        nonEmpty++;
                        Image got = through.getFrameByIndex(n - 1).image();
                        assertThat(Barcode.decode(got)).isEqualTo(Barcode.expected(n - 1));
                        assertThat(got.sameAs(local.getFrameByIndex(n - 1).image())).isTrue();
                    }
                }
            }
        }
        assertThat(nonEmpty).isPositive();
        assertThat(seam.bytesRead()).isPositive();
        assertThat(seam.channelsOpen()).isZero();
    }
}
