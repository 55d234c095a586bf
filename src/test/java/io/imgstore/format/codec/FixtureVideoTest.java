package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.imgstore.format.Image;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every frame of every video chunk written by Python imgstore/OpenCV (and the real Motif
 * libx264 store), read in shuffled order, shows the barcode of its frame number.
 */
class FixtureVideoTest {

    @TestFactory
    Stream<DynamicTest> generatedVideoStores() {
        return tests(Fixtures.generated());
    }

    @TestFactory
    Stream<DynamicTest> realMotifStore() {
        return tests(Fixtures.real());
    }

    private static Stream<DynamicTest> tests(List<Fixtures.Store> stores) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixtures.Store s : stores) {
            if (!s.storeClass().equals("VideoImgStore")) {
                continue;
            }
            for (int chunk : s.chunks()) {
                for (boolean color : new boolean[] {s.color(), !s.color()}) {
                    tests.add(DynamicTest.dynamicTest(s.dir().getFileName() + " [" + s.format() + "] chunk " + chunk
                            + (color ? " as BGR" : " as gray"), () -> checkChunk(s, chunk, color)));
                }
            }
        }
        assertFalse(tests.isEmpty(), "the manifest lists no video stores");
        return tests.stream();
    }

    private static void checkChunk(Fixtures.Store s, int chunk, boolean color) {
        Path file = s.videoChunk(chunk);
        int cs = s.chunksize();
        List<long[]> frames = new ArrayList<>();
        for (long[] f : s.frames()) {
            if (f[0] / cs == chunk) {
                frames.add(f);
            }
        }
        Collections.shuffle(frames, new Random(chunk * 31L + 7));
        // The Python-side H.264 encoder of 00_avc1-mp4 (148 px wide) left the last, partial
        // macroblock column (x >= 144) black in every frame and channel: a property of the file
        // (any decoder shows it), so the barcode is sampled left of it for such stores.
        int usable = s.format().equals("avc1/mp4") && s.width() % 16 != 0 ? s.width() - s.width() % 16 : s.width();
        try (VideoChunkReader r = VideoChunkReader.open(file, color)) {
            assertEquals(frames.size(), r.frameCount(), "frames in " + file);
            for (long[] f : frames) {
                int pos = (int) (f[0] % cs);
                Image img = r.read(pos);
                assertEquals(s.height(), img.height());
                assertEquals(s.width(), img.width());
                assertEquals(color ? 3 : 1, img.channels());
                int expected = Fixtures.Store.barcode(f[1]);
                int got = color && s.color() ? Barcode.decode(img, usable)
                        : Barcode.decodeChannel(img, 0, false, 127.5, usable);
                assertEquals(expected, got, file + " position " + pos + " (frame_number " + f[1] + ")");
            }
            assertEquals(0, r.retryCount(), "every keyframe seek landed at or before its target");
        }
    }
}
