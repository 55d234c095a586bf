package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.testing.Barcode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Writes barcode videos in every format and reads every frame back in shuffled order. */
class VideoRoundTripTest {

    static final int FRAMES = 75;
    static final int HEIGHT = 96;
    static final int WIDTH = 160;

    @TempDir
    Path tmp;

    static Stream<Arguments> formats() {
        List<Arguments> a = new ArrayList<>();
        for (StoreFormat f : List.of(StoreFormat.MJPEG_AVI, StoreFormat.H264_MKV, StoreFormat.AVC1_MP4)) {
            a.add(Arguments.of(f, false, false));
            a.add(Arguments.of(f, true, false));
        }
        a.add(Arguments.of(StoreFormat.AVC1_MP4, false, true));
        a.add(Arguments.of(StoreFormat.AVC1_MP4, true, true));
        return a.stream();
    }

    static Path writeBarcodeVideo(Path dir, StoreFormat format, boolean color, int frames, int height, int width,
                                  VideoEncoderSettings settings, int firstValue) {
        Path file = dir.resolve("chunk" + (color ? "-color" : "-gray") + format.extension());
        try (VideoChunkWriter w = VideoChunkWriter.create(file, format, height, width, color, PixelType.UINT8,
                settings)) {
            for (int i = 0; i < frames; i++) {
                w.write(Barcode.frame(firstValue + i, height, width, color));
            }
            assertEquals(frames, w.frameCount());
        }
        return file;
    }

    static VideoEncoderSettings settingsFor(StoreFormat format, boolean fragmented) {
        VideoEncoderSettings s = format.equals(StoreFormat.MJPEG_AVI) ? VideoEncoderSettings.mjpegDefaults()
                : VideoEncoderSettings.defaults();
        return s.withKeyframeInterval(10).withFragmented(fragmented);
    }

    @ParameterizedTest(name = "{0} color={1} fragmented={2}")
    @MethodSource("formats")
    void everyFrameInShuffledOrder(StoreFormat format, boolean color, boolean fragmented) {
        Path file = writeBarcodeVideo(tmp, format, color, FRAMES, HEIGHT, WIDTH, settingsFor(format, fragmented), 1000);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(42));
        try (VideoChunkReader r = VideoChunkReader.open(file, color)) {
            assertEquals(FRAMES, r.frameCount());
            for (int idx : order) {
                Image img = r.read(idx);
                assertEquals(HEIGHT, img.height());
                assertEquals(WIDTH, img.width());
                assertEquals(color ? 3 : 1, img.channels());
                assertEquals(1000 + idx, Barcode.decodeStrict(img), "frame " + idx + " of " + file.getFileName());
            }
            assertEquals(0, r.retryCount(), "every keyframe seek landed at or before its target");
        }
        // the other colour mode decodes too: gray of the colour bands is bright for B=G=255,R=0 and
        // dark for B=G=0,R=255; a gray video read as BGR has B=G=R=gray
        try (VideoChunkReader r = VideoChunkReader.open(file, !color)) {
            for (int idx = 0; idx < FRAMES; idx += 7) {
                Image img = r.read(idx);
                assertEquals(color ? 1 : 3, img.channels());
                assertEquals(1000 + idx, Barcode.decodeChannel(img, 0, false, 127.5),
                        "frame " + idx + " read as color=" + !color);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void sequentialReadsDoNotSeek(StoreFormat format, boolean color, boolean fragmented) {
        Path file = writeBarcodeVideo(tmp, format, color, FRAMES, HEIGHT, WIDTH, settingsFor(format, fragmented), 0);
        try (VideoChunkReader r = VideoChunkReader.open(file, color)) {
            assertEquals(0, Barcode.decodeStrict(r.read(0)));
            long seeks = r.seekCount();
            for (int i = 1; i < FRAMES; i++) {
                assertEquals(i, Barcode.decodeStrict(r.readNext()));
            }
            assertEquals(seeks, r.seekCount(), "sequential reads must not seek");
            assertEquals(FRAMES, r.decodedFrameCount(), "each frame decoded once");
            if (format.equals(StoreFormat.MJPEG_AVI)) {
                return; // every frame is a keyframe: skipping ahead seeks (cheaper than decoding the gap)
            }
            // and forward skips inside a GOP do not seek either
            r.read(30);
            long s2 = r.seekCount();
            assertEquals(33, Barcode.decodeStrict(r.read(33)));
            assertEquals(s2, r.seekCount());
        }
    }

    @ParameterizedTest(name = "{0} color={1}")
    @MethodSource("formats")
    void sizesThatAreNotMultiplesOfEightOrSixteen(StoreFormat format, boolean color, boolean fragmented) {
        int h = 94;
        int w = 150;
        Path file = writeBarcodeVideo(tmp, format, color, 24, h, w, settingsFor(format, fragmented), 7);
        for (boolean asColor : new boolean[] {color, !color}) {
            try (VideoChunkReader r = VideoChunkReader.open(file, asColor)) {
                for (int idx = 23; idx >= 0; idx -= 2) {
                    Image img = r.read(idx);
                    assertEquals(h, img.height());
                    assertEquals(w, img.width());
                    int got = asColor && color ? Barcode.decodeStrict(img) : Barcode.decodeChannel(img, 0, false, 127.5);
                    assertEquals(7 + idx, got);
                }
            }
        }
    }

    /** Flat colours come back as written (full range, BT.601 both ways), also at widths that are not multiples of 8. */
    @ParameterizedTest(name = "{0} width {1}")
    @CsvSource({"mjpeg/avi,148", "mjpeg/avi,160", "avc1/mp4,148", "avc1/mp4,160", "h264/mkv,150"})
    void colourAccuracy(String formatName, int width) {
        StoreFormat f = StoreFormat.of(formatName);
        Path file = tmp.resolve("colour" + width + f.extension());
        int[][] colours = {{40, 100, 200}, {200, 30, 90}, {0, 0, 0}, {255, 255, 255}, {128, 128, 128}};
        // each colour for 5 frames, the last one checked: the rate control has settled by then
        try (VideoChunkWriter w = VideoChunkWriter.create(file, f, 64, width, true, PixelType.UINT8,
                settingsFor(f, false))) {
            for (int[] c : colours) {
                Image img = Image.blank(64, width, 3, PixelType.UINT8);
                for (int i = 0; i < img.data().length; i++) {
                    img.data()[i] = (byte) c[i % 3];
                }
                for (int rep = 0; rep < 5; rep++) {
                    w.write(img);
                }
            }
        }
        try (VideoChunkReader r = VideoChunkReader.open(file, true)) {
            for (int k = 0; k < colours.length; k++) {
                Image img = r.read(k * 5 + 4);
                // the interior up to the last full 16-pixel block: openh264 blurs a partial last macroblock
                for (int x = 0; x < width - width % 16; x += 3) {
                    for (int ch = 0; ch < 3; ch++) {
                        int got = img.sample(32, x, ch);
                        assertTrue(Math.abs(got - colours[k][ch]) <= 4, f + " colour " + k + " channel " + ch
                                + " at x=" + x + ": " + got + " != " + colours[k][ch]);
                    }
                }
            }
        }
    }

    /** Constant 25 fps timestamps from 0: OpenCV's CAP_PROP_POS_FRAMES seeking (Python imgstore) relies on it. */
    @ParameterizedTest(name = "{0} fragmented={2}")
    @MethodSource("formats")
    void constantFrameRateTimestamps(StoreFormat format, boolean color, boolean fragmented) {
        if (color) {
            return;
        }
        Path file = writeBarcodeVideo(tmp, format, false, 30, 64, 64, settingsFor(format, fragmented), 0);
        try (VideoChunkReader r = VideoChunkReader.open(file, false)) {
            for (int i = 0; i < 30; i++) {
                assertEquals(i / 25.0, r.presentationTime(i), 1e-6, "frame " + i);
            }
        }
    }

    @Test
    void outOfRangeAndClosed() {
        Path file = writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, false, 12, 64, 64, VideoEncoderSettings.defaults(), 0);
        VideoChunkReader r = VideoChunkReader.open(file, false);
        assertThrows(FrameNotFoundException.class, () -> r.read(12));
        assertThrows(FrameNotFoundException.class, () -> r.read(-1));
        assertEquals(11, Barcode.decodeStrict(r.read(11)));
        r.close();
        r.close();
        assertThrows(IllegalStateException.class, () -> r.read(0));
    }

    @Test
    void writerRejectsBadInput() {
        assertThrows(InvalidImageException.class, () -> VideoChunkWriter.create(tmp.resolve("odd.mp4"),
                StoreFormat.AVC1_MP4, 65, 64, false, PixelType.UINT8, VideoEncoderSettings.defaults()));
        assertThrows(UnsupportedFormatException.class, () -> VideoChunkWriter.create(tmp.resolve("x.png"),
                StoreFormat.PNG, 64, 64, false, PixelType.UINT8, VideoEncoderSettings.defaults()));
        assertThrows(UnsupportedFormatException.class, () -> VideoChunkWriter.create(tmp.resolve("x16.mp4"),
                StoreFormat.AVC1_MP4, 64, 64, false, PixelType.UINT16, VideoEncoderSettings.defaults()));
        try (VideoChunkWriter w = VideoChunkWriter.create(tmp.resolve("w.mkv"), StoreFormat.H264_MKV, 64, 64, false,
                PixelType.UINT8, VideoEncoderSettings.defaults())) {
            assertThrows(InvalidImageException.class, () -> w.write(Barcode.frame(1, 64, 64, true)));
            assertThrows(InvalidImageException.class, () -> w.write(Barcode.frame(1, 64, 66, false)));
            w.write(Barcode.frame(1, 64, 64, false));
        }
        try (VideoChunkReader r = VideoChunkReader.open(tmp.resolve("w.mkv"), false)) {
            assertEquals(1, r.frameCount());
            assertEquals(1, Barcode.decodeStrict(r.read(0)));
        }
    }

    @Test
    void grayFramesReadBackAsWritten() {
        // full-range Y = gray: flat gray levels survive H.264 and MJPEG within compression error
        for (StoreFormat f : List.of(StoreFormat.MJPEG_AVI, StoreFormat.AVC1_MP4)) {
            Path file = tmp.resolve("levels" + f.extension());
            int[] levels = {0, 16, 64, 128, 200, 235, 255};
            try (VideoChunkWriter w = VideoChunkWriter.create(file, f, 32, 32, false, PixelType.UINT8,
                    settingsFor(f, false))) {
                for (int level : levels) {
                    Image img = Image.blank(32, 32, 1, PixelType.UINT8);
                    java.util.Arrays.fill(img.data(), (byte) level);
                    w.write(img);
                }
            }
            try (VideoChunkReader gray = VideoChunkReader.open(file, false);
                 VideoChunkReader bgr = VideoChunkReader.open(file, true)) {
                for (int i = 0; i < levels.length; i++) {
                    Image g = gray.read(i);
                    Image c = bgr.read(i);
                    assertTrue(Math.abs(g.sample(16, 16, 0) - levels[i]) <= 2,
                            f + " level " + levels[i] + " read as " + g.sample(16, 16, 0));
                    for (int ch = 0; ch < 3; ch++) {
                        assertTrue(Math.abs(c.sample(16, 16, ch) - levels[i]) <= 2,
                                f + " level " + levels[i] + " read as BGR " + c.sample(16, 16, ch));
                    }
                }
            }
        }
    }
}
