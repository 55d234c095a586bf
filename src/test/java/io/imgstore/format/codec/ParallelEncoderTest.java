package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.Image;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.NativeMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * H.264 chunks written by several libopenh264 encoders on alternate groups of pictures
 * ({@link VideoChunkWriter#PARALLEL_ENCODERS_PROPERTY}) decode frame-exactly, in order and at
 * random, with a keyframe exactly every {@code keyframeInterval} frames, and match what one encoder
 * on the caller's thread writes.
 */
class ParallelEncoderTest {

    static final int H = 96;
    static final int W = 160;

    @TempDir
    Path tmp;

    @AfterEach
    void clearProperty() {
        System.clearProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY);
    }

    private Path write(String name, StoreFormat format, boolean color, int frames, int gop, boolean fragmented,
                       int parallel, int expectedParallel) {
        System.setProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY, String.valueOf(parallel));
        Path file = tmp.resolve(name + format.extension());
        VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(gop).withFragmented(fragmented);
        try (VideoChunkWriter w = VideoChunkWriter.create(file, format, H, W, color, PixelType.UINT8, s)) {
            assertEquals(expectedParallel, w.parallelEncoders(), "encoders in use");
            for (int i = 0; i < frames; i++) {
                w.write(Barcode.frame(i, H, W, color));
            }
            assertEquals(frames, w.frameCount());
        }
        return file;
    }

    @ParameterizedTest(name = "{0} color={1} gop={2} fragmented={3} encoders={4}")
    @CsvSource({
        "avc1/mp4, false, 10, false, 2",
        "avc1/mp4, false, 10, true, 2",
        "avc1/mp4, true, 10, false, 2",
        "avc1/mp4, false, 7, true, 3",
        "avc1/mp4, false, 10, false, 1",
        "h264/mkv, false, 5, false, 2",
        "h264/mkv, true, 10, false, 3",
    })
    void everyFrameExactInOrderAndShuffled(String formatName, boolean color, int gop, boolean fragmented,
                                           int parallel) {
        StoreFormat format = StoreFormat.of(formatName);
        int frames = 95; // not a multiple of the interval: the last group is partial
        Path file = write("p", format, color, frames, gop, fragmented, parallel, parallel);
        try (VideoChunkReader r = VideoChunkReader.open(file, color)) {
            assertEquals(frames, r.frameCount());
            FrameTable t = r.frameTable();
            for (int i = 0; i < frames; i++) {
                assertEquals(i % gop == 0, t.isKeyframe(i), "keyframe flag of frame " + i);
            }
            for (int i = 0; i < frames; i++) {
                assertEquals(i, Barcode.decode(r.readNext()), "sequential frame " + i);
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(5));
            for (int i : order) {
                assertEquals(i, Barcode.decode(r.read(i)), "random frame " + i);
            }
        }
    }

    @Test
    void sameFramesAsOneEncoderOnTheCallersThread() {
        // every group of pictures is encoded from an IDR frame by a fresh or reused encoder with the
        // same settings, so the decoded pixels stay as close to the input as with a single encoder
        int frames = 40;
        Path one = write("one", StoreFormat.AVC1_MP4, false, frames, 10, false, 0, 0);
        Path two = write("two", StoreFormat.AVC1_MP4, false, frames, 10, false, 2, 2);
        try (VideoChunkReader a = VideoChunkReader.open(one, false); VideoChunkReader b = VideoChunkReader.open(two, false)) {
            for (int i = 0; i < frames; i++) {
                Image x = a.readNext();
                Image y = b.readNext();
                byte[] orig = Barcode.frame(i, H, W, false).data();
                assertTrue(meanAbsError(orig, y.data()) <= meanAbsError(orig, x.data()) + 1.0,
                        "frame " + i + ": error " + meanAbsError(orig, y.data()) + " vs " + meanAbsError(orig, x.data()));
            }
            // the first group of pictures comes from identical encoders fed identical frames
            assertArrayEquals(a.read(0).data(), b.read(0).data());
        }
    }

    @Test
    void longIntervalsForLargeFramesFallBackToOneEncoderThread() {
        // 64 MiB of queued 4:2:0 frames: 1920x1200 with a keyframe every 25 frames needs 28 frames (97 MB)
        System.setProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY, "2");
        VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(25);
        try (VideoChunkWriter w = VideoChunkWriter.create(tmp.resolve("big.mp4"), StoreFormat.AVC1_MP4, 1200, 1920,
                false, PixelType.UINT8, s)) {
            assertEquals(1, w.parallelEncoders());
        }
        // all-intra: consecutive IDR frames must come from one encoder
        try (VideoChunkWriter w = VideoChunkWriter.create(tmp.resolve("intra.mp4"), StoreFormat.AVC1_MP4, H, W,
                false, PixelType.UINT8, s.withKeyframeInterval(1))) {
            assertEquals(1, w.parallelEncoders());
        }
        System.setProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY, "0");
        try (VideoChunkWriter w = VideoChunkWriter.create(tmp.resolve("sync.mp4"), StoreFormat.AVC1_MP4, H, W,
                false, PixelType.UINT8, s)) {
            assertEquals(0, w.parallelEncoders());
        }
    }

    @Test
    void autoGivesLargeFramesASecondEncoderWhenThereIsASecondCore() {
        // the default: a megapixel or more on 2+ cores gets two encoders, smaller frames none
        System.clearProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY);
        int expected = Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 0;
        try (VideoChunkWriter w = VideoChunkWriter.create(tmp.resolve("auto-big.mp4"), StoreFormat.AVC1_MP4, 1200, 1920,
                false, PixelType.UINT8, VideoEncoderSettings.defaults())) {
            assertEquals(expected, w.parallelEncoders());
        }
        try (VideoChunkWriter w = VideoChunkWriter.create(tmp.resolve("auto-small.mp4"), StoreFormat.AVC1_MP4, H, W,
                false, PixelType.UINT8, VideoEncoderSettings.defaults())) {
            assertEquals(0, w.parallelEncoders());
        }
        System.setProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY, "two");
        assertThrows(IllegalArgumentException.class, () -> VideoChunkWriter.create(tmp.resolve("bad-setting.mp4"),
                StoreFormat.AVC1_MP4, H, W, false, PixelType.UINT8, VideoEncoderSettings.defaults()));
    }

    @Test
    void mjpegIsEncodedOnTheCallersThread() {
        write("m", StoreFormat.MJPEG_AVI, false, 3, 10, false, 2, 0);
    }

    @Test
    void badFrameIsRefusedAndTheWriterGoesOn() throws Exception {
        System.setProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY, "2");
        Path file = tmp.resolve("bad.mp4");
        try (VideoChunkWriter w = VideoChunkWriter.create(file, StoreFormat.AVC1_MP4, H, W, false, PixelType.UINT8,
                VideoEncoderSettings.defaults())) {
            for (int i = 0; i < 15; i++) {
                w.write(Barcode.frame(i, H, W, false));
            }
            assertThrows(InvalidImageException.class, () -> w.write(Barcode.frame(99, H + 2, W, false)));
            for (int i = 15; i < 25; i++) {
                w.write(Barcode.frame(i, H, W, false));
            }
        }
        try (VideoChunkReader r = VideoChunkReader.open(file, false)) {
            assertEquals(25, r.frameCount());
            for (int i = 0; i < 25; i++) {
                assertEquals(i, Barcode.decode(r.readNext()));
            }
        }
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void closedWritersLeaveNoThreadsAndNoNativeMemory() {
        // 640x480, keyframe every 10, 2 encoders: 13 queued frames (6 MB) and a second encoder per
        // writer, so a leaked frame pool would be ~180 MB in each window of 30 writers. glibc keeps
        // per-thread malloc arenas of the first writers' encoder threads (35 MB here, 94 MB on a CI
        // machine with more cores, surefire sets MALLOC_ARENA_MAX=2 to bound them); they are taken
        // once, so the smaller of two consecutive windows is the per-writer cost.
        System.setProperty(VideoChunkWriter.PARALLEL_ENCODERS_PROPERTY, "2");
        writeAndClose("warm", 15);
        long start = NativeMemory.settledPhysicalBytes();
        writeAndClose("first", 30);
        long middle = NativeMemory.settledPhysicalBytes();
        writeAndClose("second", 30);
        long end = NativeMemory.settledPhysicalBytes();
        long first = middle - start;
        long second = end - middle;
        System.out.printf("30 parallel writers: RSS %+d kB, then %+d kB%n", first / 1024, second / 1024);
        assertTrue(Math.min(first, second) < 60L << 20,
                "RSS grew by " + (first >> 20) + " MB and then " + (second >> 20) + " MB over 30 writers each");
        long encoderThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("imgstore-h264-encoder")).count();
        assertEquals(0, encoderThreads, "encoder threads left running");
    }

    private void writeAndClose(String name, int writers) {
        for (int i = 0; i < writers; i++) {
            try (VideoChunkWriter w = VideoChunkWriter.create(tmp.resolve(name + "_" + i + ".mp4"),
                    StoreFormat.AVC1_MP4, 480, 640, false, PixelType.UINT8, VideoEncoderSettings.defaults())) {
                assertEquals(2, w.parallelEncoders());
                for (int k = 0; k < 12; k++) {
                    w.write(Barcode.frame(k, 480, 640, false));
                }
            }
        }
    }

    static double meanAbsError(byte[] a, byte[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) s / a.length;
    }
}
