package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.storage.StoreFiles;
import io.imgstore.testing.Barcode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How many threads a store's decoder gets: two only for long runs of large frames. */
class DecoderThreadsTest {

    @Test
    void autoChoosesTwoThreadsOnlyForLongGroupsOfLargeFrames() {
        int multi = Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
        assertEquals(multi, VideoChunkReader.autoThreads(1920, 1200, 250));
        assertEquals(multi, VideoChunkReader.autoThreads(1000, 1000, 32));
        assertEquals(1, VideoChunkReader.autoThreads(1920, 1200, 10), "short groups");
        assertEquals(1, VideoChunkReader.autoThreads(1000, 1000, 31), "short groups");
        assertEquals(1, VideoChunkReader.autoThreads(512, 512, 250), "small frames");
    }

    @Test
    void storeReadersChooseFromTheChunkAndReadExactly(@TempDir Path dir) {
        Path shortGroups = write(dir.resolve("short.mp4"), 10);
        Path longGroups = write(dir.resolve("long.mp4"), 40);
        int multi = Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
        try (VideoChunkReader s = VideoChunkReader.open(StoreFiles.LOCAL, shortGroups, false);
             VideoChunkReader l = VideoChunkReader.open(StoreFiles.LOCAL, longGroups, false)) {
            assertEquals(1, s.decoderThreads());
            assertEquals(multi, l.decoderThreads());
            for (int i : new int[] {37, 3, 39, 20, 0, 21, 38}) {
                assertEquals(i, Barcode.decodeStrict(l.read(i)), "frame " + i + " with " + multi + " threads");
                assertEquals(i, Barcode.decodeStrict(s.read(i)), "frame " + i);
            }
        }
    }

    private static Path write(Path file, int keyframeInterval) {
        VideoEncoderSettings settings = VideoEncoderSettings.defaults().withKeyframeInterval(keyframeInterval);
        try (VideoChunkWriter w = VideoChunkWriter.create(file, StoreFormat.AVC1_MP4, 1000, 1008, false,
                PixelType.UINT8, settings)) {
            for (int i = 0; i < 40; i++) {
                Image img = Barcode.frame(i, 1000, 1008, false);
                w.write(img);
            }
        }
        return file;
    }
}
