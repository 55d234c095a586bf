package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.StoreFormat;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cut files: what is there can be read exactly, the rest fails with a clear exception, never a crash. */
class TruncatedVideoTest {

    static final int FRAMES = 100;

    @TempDir
    Path tmp;

    private Path cut(Path file, double fraction) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Path out = tmp.resolve("cut" + Math.round(fraction * 100) + "-" + file.getFileName());
        Files.write(out, Arrays.copyOf(all, (int) (all.length * fraction)));
        return out;
    }

    @ParameterizedTest(name = "{0} fragmented={1} cut at {2}")
    @CsvSource({
        "mjpeg/avi, false, 0.5", "mjpeg/avi, false, 0.13",
        "h264/mkv, false, 0.5", "h264/mkv, false, 0.77",
        "avc1/mp4, true, 0.5", "avc1/mp4, true, 0.31"})
    void framesBeforeTheCutReadExactly(String formatName, boolean fragmented, double fraction) throws IOException {
        StoreFormat format = StoreFormat.of(formatName);
        VideoEncoderSettings settings = VideoRoundTripTest.settingsFor(format, fragmented);
        Path full = VideoRoundTripTest.writeBarcodeVideo(tmp, format, false, FRAMES, 96, 160, settings, 0);
        Path cut = cut(full, fraction);
        try (VideoChunkReader r = VideoChunkReader.open(cut, false)) {
            int n = r.frameCount();
            assertTrue(n > 0 && n < FRAMES, "a cut " + format + " should keep some frames, has " + n);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n - 1; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(5));
            for (int idx : order) {
                assertEquals(idx, Barcode.decodeStrict(r.read(idx)), "frame " + idx + " of cut " + format);
            }
            // the last packet may be incomplete: it decodes (maybe damaged) or fails cleanly
            try {
                Image last = r.read(n - 1);
                assertEquals(96, last.height());
            } catch (CorruptStoreException expected) {
                // fine
            }
            FrameNotFoundException e = assertThrows(FrameNotFoundException.class, () -> r.read(n));
            assertTrue(e.getMessage().contains(n + " frames"), e.getMessage());
            assertThrows(FrameNotFoundException.class, () -> r.read(FRAMES - 1));
            // and the reader still works after the errors
            assertEquals(0, Barcode.decodeStrict(r.read(0)));
        }
    }

    /**
     * A writer that dies before close(): what it flushed at the last keyframes is readable
     * (fragmented mp4, mkv, avi), a plain mp4 is not (its index is written by close()).
     */
    @ParameterizedTest(name = "{0} fragmented={1}")
    @CsvSource({"avc1/mp4, true", "h264/mkv, false", "mjpeg/avi, false", "avc1/mp4, false"})
    void unclosedWriter(String formatName, boolean fragmented) {
        StoreFormat format = StoreFormat.of(formatName);
        Path file = tmp.resolve("unclosed" + format.extension());
        VideoChunkWriter w = VideoChunkWriter.create(file, format, 96, 160, false, io.imgstore.format.PixelType.UINT8,
                VideoRoundTripTest.settingsFor(format, fragmented));
        try {
            for (int i = 0; i < 55; i++) {
                w.write(Barcode.frame(i, 96, 160, false));
            }
            if (format.equals(StoreFormat.AVC1_MP4) && !fragmented) {
                assertThrows(CorruptStoreException.class, () -> VideoChunkReader.open(file, false));
                return;
            }
            try (VideoChunkReader r = VideoChunkReader.open(file, false)) {
                int n = r.frameCount();
                System.out.printf("unclosed %s writer after 55 frames: %d readable%n", format, n);
                assertTrue(n >= 30, format + ": only " + n + " of 55 frames readable before close()");
                for (int i = n - 2; i >= 0; i -= 3) {
                    assertEquals(i, Barcode.decodeStrict(r.read(i)));
                }
            }
        } finally {
            w.close();
        }
    }

    @Test
    void plainMp4WithoutItsIndexCannotBeOpened() throws IOException {
        // a non-fragmented mp4 keeps its index (moov) at the end: cut, it is unreadable
        Path full = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, false, FRAMES, 96, 160,
                VideoRoundTripTest.settingsFor(StoreFormat.AVC1_MP4, false), 0);
        Path cut = cut(full, 0.5);
        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> VideoChunkReader.open(cut, false));
        assertTrue(e.getMessage().contains(cut.getFileName().toString()), e.getMessage());
    }

    @Test
    void garbageEmptyAndMissingFiles() throws IOException {
        Path garbage = tmp.resolve("garbage.mp4");
        byte[] b = new byte[50_000];
        new Random(9).nextBytes(b);
        Files.write(garbage, b);
        assertThrows(CorruptStoreException.class, () -> VideoChunkReader.open(garbage, false));
        Path empty = Files.createFile(tmp.resolve("empty.mkv"));
        assertThrows(CorruptStoreException.class, () -> VideoChunkReader.open(empty, true));
        assertThrows(CorruptStoreException.class, () -> VideoChunkReader.open(tmp.resolve("missing.avi"), true));
    }

    @Test
    void emptyPythonChunkHasNoFrames() {
        // imgstore opens the next chunk eagerly; closed before a frame, it leaves an mp4 with no track
        Path p = Fixtures.require().resolve("generated/motif_h5/000002.mp4");
        try (VideoChunkReader r = VideoChunkReader.open(p, false)) {
            assertEquals(0, r.frameCount());
            assertThrows(FrameNotFoundException.class, () -> r.read(0));
        }
    }
}
