package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.imgstore.testing.Barcode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader of a store being written counts only frames it can read: the open avc1/mp4 chunk's
 * journal runs ahead of the fragments in the file (a fragment is written when the next keyframe
 * starts), so the count is capped at what the demuxer sees.
 */
class LiveCountTest {

    @Test
    void everyCountedFrameOfAnOpenMp4ChunkIsReadable(@TempDir Path root) {
        Path dir = root.resolve("rig/live");
        StoreSpec spec = StoreSpec.of(StoreFormat.AVC1_MP4, 32, 48).withChunksize(40);
        int mismatches = 0;
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec)) {
            for (int i = 0; i < 65; i++) {
                w.addImage(Barcode.draw(i, 32, 48, 1, PixelType.UINT8), i, 1000.0 + i / 30.0);
                // what the service does on each refresh: a new reader, confined to the root
                try (ImgStore s = ImgStore.open(dir, 2, root)) {
                    int n = s.frameCount();
                    assertThat(n).isLessThanOrEqualTo(i + 1);
                    if (n < i + 1) {
                        mismatches++;
                    }
                    for (int k = Math.max(0, n - 5); k < n; k++) {
                        int index = k;
                        assertThatCode(() -> s.getFrameByIndex(index)).as("frame %d of %d counted after %d written",
                                index, n, i + 1).doesNotThrowAnyException();
                    }
                    if (n > 0) {
                        Frame last = s.getFrameByIndex(n - 1);
                        assertThat(last.info().frameNumber()).isEqualTo(n - 1);
                        assertThat(s.frameMax().getAsLong()).isEqualTo(n - 1);
                        assertThat(s.frameMetadata().frameNumbers()).hasSize(n);
                    }
                }
            }
        }
        // the journal did run ahead at times (else this test tests nothing)
        assertThat(mismatches).isPositive();
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameCount()).isEqualTo(65);
        }
    }

    @Test
    void concurrentReaderReadsTheNewestCountedFrames(@TempDir Path root) throws Exception {
        Path dir = root.resolve("rig/live");
        StoreSpec spec = StoreSpec.of(StoreFormat.AVC1_MP4, 32, 48).withChunksize(20);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> writerError = new java.util.concurrent.atomic.AtomicReference<>();
        ImgStoreWriter w = ImgStoreWriter.create(dir, spec);
        Thread writer = new Thread(() -> {
            try (w) {
                for (int i = 0; i < 90; i++) {
                    w.addImage(Barcode.draw(i, 32, 48, 1, PixelType.UINT8), i, 1000.0 + i / 30.0);
                    Thread.sleep(33);
                }
            } catch (Throwable t) {
                writerError.set(t);
            } finally {
                done.set(true);
            }
        });
        writer.start();
        int reads = 0;
        try {
            while (!done.get()) {
                try (ImgStore s = ImgStore.open(dir, 2, root)) {
                    int n = s.frameCount();
                    for (int k = Math.max(0, n - 5); k < n; k++) {
                        Frame f = s.getFrameByIndex(k);
                        assertThat(f.info().frameNumber()).isEqualTo(k);
                        reads++;
                    }
                }
            }
        } finally {
            done.set(true);
            writer.join(30_000);
        }
        assertThat(writerError.get()).isNull();
        assertThat(reads).isPositive();
    }
}
