package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.testing.Barcode;
import io.imgstore.testing.NativeMemory;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory stays flat over 10,000 random exact reads through {@link ImgStore} (decoders are
 * pooled, frames are copied out of JavaCV and freed), and closing the store releases its decoders.
 */
class StoreNativeMemoryTest {

    private static final long MB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void tenThousandRandomReadsDoNotGrowNativeMemory() throws Exception {
        Path dir = tmp.resolve("s");
        int frames = 120;
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.AVC1_MP4, 96, 128).withChunksize(40))) {
            for (int i = 0; i < frames; i++) {
                w.addImage(Barcode.draw(i, 96, 128, 1, PixelType.UINT8), i, i);
            }
        }
        SplittableRandom rnd = new SplittableRandom(11);
        try (ImgStore s = ImgStore.open(dir)) {
            for (int i = 0; i < 1000; i++) { // warm up: decoders for every chunk, JIT, allocator pools
                s.getFrame(rnd.nextInt(frames));
            }
            long before = NativeMemory.settledPhysicalBytes();
            long javacppBefore = Pointer.totalBytes();
            for (int i = 0; i < 10_000; i++) {
                int n = rnd.nextInt(frames);
                Frame f = s.getFrame(n);
                if (i % 1000 == 0) {
                    assertThat(Barcode.decode(f.image())).isEqualTo(n);
                }
            }
            long after = NativeMemory.settledPhysicalBytes();
            long javacppAfter = Pointer.totalBytes();
            System.out.printf("10,000 random reads: RSS %+d kB, JavaCPP-tracked %+d bytes%n",
                    (after - before) / 1024, javacppAfter - javacppBefore);
            assertThat(javacppAfter - javacppBefore).as("JavaCPP-allocated bytes").isLessThanOrEqualTo(MB);
            assertThat(after - before).as("resident set growth").isLessThan(64 * MB);
        }
    }
}
