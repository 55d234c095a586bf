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

/** How many threads a store's decoder gets: two for large frames, one for small ones. */
class DecoderThreadsTest {

    @Test
    void autoChoosesTwoThreadsForLargeFramesOnly() {
        int multi = Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
        assertEquals(multi, VideoChunkReader.autoThreads(1920, 1200));
        assertEquals(multi, VideoChunkReader.autoThreads(1000, 1000));
        assertEquals(1, VideoChunkReader.autoThreads(999, 1000), "below a megapixel");
        assertEquals(1, VideoChunkReader.autoThreads(512, 512), "small frames");
    }

    @Test
    void theSettingIsAutoOrACount() {
        assertEquals(VideoChunkReader.AUTO_THREADS, VideoChunkReader.threadsSetting("auto"));
        assertEquals(VideoChunkReader.AUTO_THREADS, VideoChunkReader.threadsSetting(" AUTO "));
        assertEquals(0, VideoChunkReader.threadsSetting("0"));
        assertEquals(3, VideoChunkReader.threadsSetting("3"));
        for (String bad : new String[] {"-1", "two", ""}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> VideoChunkReader.threadsSetting(bad), bad);
        }
    }

    @Test
    void storeReadersChooseFromTheChunkAndReadExactly(@TempDir Path dir) {
        Path small = write(dir.resolve("small.mp4"), 480, 640);
        Path large = write(dir.resolve("large.mp4"), 1000, 1008);
        int multi = Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
        try (VideoChunkReader s = VideoChunkReader.open(StoreFiles.LOCAL, small, false);
             VideoChunkReader l = VideoChunkReader.open(StoreFiles.LOCAL, large, false)) {
            assertEquals(1, s.decoderThreads());
            assertEquals(multi, l.decoderThreads());
            for (int i : new int[] {37, 3, 39, 20, 0, 21, 38}) {
                assertEquals(i, Barcode.decodeStrict(l.read(i)), "frame " + i + " with " + multi + " threads");
                assertEquals(i, Barcode.decodeStrict(s.read(i)), "frame " + i);
            }
        }
    }

    private static Path write(Path file, int height, int width) {
        VideoEncoderSettings settings = VideoEncoderSettings.defaults().withKeyframeInterval(16);
        try (VideoChunkWriter w = VideoChunkWriter.create(file, StoreFormat.AVC1_MP4, height, width, false,
                PixelType.UINT8, settings)) {
            for (int i = 0; i < 40; i++) {
                Image img = Barcode.frame(i, height, width, false);
                w.write(img);
            }
        }
        return file;
    }
}
