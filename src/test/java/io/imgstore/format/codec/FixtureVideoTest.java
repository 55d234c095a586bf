package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.Image;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
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

    private static void checkChunk(Fixtures.Store s, int chunk, boolean color) throws java.io.IOException {
        Path file = s.videoChunk(chunk);
        int cs = s.chunksize();
        List<long[]> frames = new ArrayList<>();
        for (long[] f : s.frames()) {
            if (f[0] / cs == chunk) {
                frames.add(f);
            }
        }
        Collections.shuffle(frames, new Random(chunk * 31L + 7));
        try (VideoChunkReader r = VideoChunkReader.open(file, color);
             VideoChunkReader lending = VideoChunkReader.open(file, color)) {
            assertEquals(frames.size(), r.frameCount(), "frames in " + file);
            for (long[] f : frames) {
                int pos = (int) (f[0] % cs);
                Image img = r.read(pos);
                // the same pixels lent in place (decoder or conversion buffer) as copied into an Image
                Image lent = lending.read(pos, pixels -> {
                    assertTrue(pixels.buffer().isReadOnly(), "lent read-only");
                    return pixels.toImage();
                });
                org.junit.jupiter.api.Assertions.assertArrayEquals(img.data(), lent.data(), file + " position " + pos
                        + " lent");
                assertEquals(s.height(), img.height());
                assertEquals(s.width(), img.width());
                assertEquals(color ? 3 : 1, img.channels());
                int expected = Fixtures.Store.barcode(f[1]);
                int got = color && s.color() ? Barcode.decodeStrict(img) : Barcode.decodeChannel(img, 0, false, 127.5);
                assertEquals(expected, got, file + " position " + pos + " (frame_number " + f[1] + ")");
            }
            assertEquals(0, r.retryCount(), "every keyframe seek landed at or before its target");
        }
        if (!color) {
            // gray output (luma, range-expanded for limited-range files) matches BGR2GRAY of the BGR output
            try (VideoChunkReader g = VideoChunkReader.open(file, false);
                 VideoChunkReader c = VideoChunkReader.open(file, true)) {
                Image gray = g.read(0);
                Image viaBgr = ImageOps.toGray(c.read(0));
                // per pixel they differ at colour edges (4:2:0 chroma, clipping); on average they agree
                double sum = 0;
                for (int y = 0; y < gray.height(); y++) {
                    for (int x = 0; x < gray.width(); x++) {
                        sum += Math.abs(gray.sample(y, x, 0) - viaBgr.sample(y, x, 0));
                    }
                }
                double mean = sum / (gray.height() * gray.width());
                assertTrue(mean <= 2.0, file + ": gray and BGR2GRAY(BGR) differ by " + mean + " on average");
            }
        }
    }

    /**
     * Skipping the frames no other frame refers to on the way to a target (the default) returns
     * exactly the pixels decoding every frame returns, and decodes fewer frames: Python imgstore's
     * x264 chunks hold non-reference B-frames.
     */
    @TestFactory
    Stream<DynamicTest> skippingNonReferenceFramesChangesNoPixel() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixtures.Store s : Fixtures.all()) {
            if (s.storeClass().equals("VideoImgStore")) {
                tests.add(DynamicTest.dynamicTest(s.dir().getFileName().toString(), () -> compareSkipping(s)));
            }
        }
        assertFalse(tests.isEmpty(), "the manifest lists no video stores");
        return tests.stream();
    }

    private static void compareSkipping(Fixtures.Store s) {
        // no decoded-frame cache: each reader must decode what it returns
        long capacity = DecodedFrameCache.shared().capacity();
        DecodedFrameCache.shared().setCapacity(0);
        try {
            compareSkipping(s, s.videoChunk(s.chunks().get(0)));
        } finally {
            DecodedFrameCache.shared().setCapacity(capacity);
        }
    }

    private static void compareSkipping(Fixtures.Store s, Path file) {
        long skippedDecodes;
        long allDecodes;
        List<Integer> order = new ArrayList<>();
        try (VideoChunkReader r = VideoChunkReader.open(file, s.color())) {
            for (int i = 0; i < r.frameCount(); i++) {
                order.add(i);
            }
        }
        Collections.shuffle(order, new Random(11));
        List<Image> skipped = new ArrayList<>();
        try (VideoChunkReader r = VideoChunkReader.open(file, s.color())) {
            for (int i : order) {
                skipped.add(r.read(i));
            }
            skippedDecodes = r.decodedFrameCount();
            assertEquals(0, r.retryCount(), file + ": a target was skipped");
        }
        // with frame threads (large frames get two): the skip setting travels with each packet
        try (VideoChunkReader r = VideoChunkReader.open(file, s.color(), 2)) {
            for (int k = 0; k < order.size(); k++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(skipped.get(k).data(), r.read(order.get(k)).data(),
                        file + " frame " + order.get(k) + " with two decoder threads");
            }
            assertEquals(0, r.retryCount(), file + ": a target was skipped with two threads");
        }
        String before = System.getProperty(VideoChunkReader.NON_REF_SKIPPING_PROPERTY);
        System.setProperty(VideoChunkReader.NON_REF_SKIPPING_PROPERTY, "false");
        try (VideoChunkReader r = VideoChunkReader.open(file, s.color())) {
            for (int k = 0; k < order.size(); k++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(r.read(order.get(k)).data(), skipped.get(k).data(),
                        file + " frame " + order.get(k));
            }
            allDecodes = r.decodedFrameCount();
        } finally {
            if (before == null) {
                System.clearProperty(VideoChunkReader.NON_REF_SKIPPING_PROPERTY);
            } else {
                System.setProperty(VideoChunkReader.NON_REF_SKIPPING_PROPERTY, before);
            }
        }
        assertTrue(skippedDecodes <= allDecodes, file + ": " + skippedDecodes + " > " + allDecodes);
        if (s.format().contains("avc1") || s.format().contains("h264")) {
            assertTrue(skippedDecodes < allDecodes, file + ": no frame skipped (" + allDecodes + " decoded)");
        }
    }

    /** Gray frames of limited-range chunks expanded by the table equal swscale's expansion, pixel for pixel. */
    @TestFactory
    Stream<DynamicTest> grayRangeTableEqualsSwscale() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixtures.Store s : Fixtures.all()) {
            if (s.storeClass().equals("VideoImgStore")) {
                tests.add(DynamicTest.dynamicTest(s.dir().getFileName().toString(), () -> {
                    Path file = s.videoChunk(s.chunks().get(0));
                    long capacity = DecodedFrameCache.shared().capacity();
                    DecodedFrameCache.shared().setCapacity(0);
                    try (VideoChunkReader byTable = VideoChunkReader.open(file, false)) {
                        List<byte[]> table = new ArrayList<>();
                        for (int i = 0; i < byTable.frameCount(); i++) {
                            table.add(byTable.read(i).data());
                        }
                        System.setProperty(VideoChunkReader.GRAY_LUT_PROPERTY, "false");
                        try (VideoChunkReader bySwscale = VideoChunkReader.open(file, false)) {
                            for (int i = 0; i < table.size(); i++) {
                                org.junit.jupiter.api.Assertions.assertArrayEquals(bySwscale.read(i).data(), table.get(i),
                                        file + " frame " + i);
                            }
                        }
                    } finally {
                        System.clearProperty(VideoChunkReader.GRAY_LUT_PROPERTY);
                        DecodedFrameCache.shared().setCapacity(capacity);
                    }
                }));
            }
        }
        assertFalse(tests.isEmpty(), "the manifest lists no video stores");
        return tests.stream();
    }
}
