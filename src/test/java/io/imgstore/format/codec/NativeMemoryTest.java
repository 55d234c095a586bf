package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.storage.StoreFiles;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.CountingStoreFiles;
import io.imgstore.testing.NativeMemory;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory stays flat over thousands of reads and hundreds of open/close cycles. The bounds
 * are generous (the process RSS also moves with the Java heap); a leaked frame, packet, scaler
 * or buffer per read would be hundreds of MB over these loops.
 */
class NativeMemoryTest {

    static final long MB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void thousandsOfRandomReadsKeepNativeMemoryFlat() {
        // 384x384 colour: one leaked decoded frame per read ~ 220 kB, one leaked BGR buffer ~ 440 kB
        Path file = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, true, 60, 384, 384,
                VideoEncoderSettings.defaults().withKeyframeInterval(10), 0);
        Random rnd = new Random(3);
        try (VideoChunkReader r = VideoChunkReader.open(file, true)) {
            for (int i = 0; i < 300; i++) {
                r.read(rnd.nextInt(60));
            }
            long physBefore = NativeMemory.settledPhysicalBytes();
            long javacppBefore = Pointer.totalBytes();
            for (int i = 0; i < 3000; i++) {
                int idx = rnd.nextInt(60);
                if (i % 500 == 0) {
                    assertEquals(idx, Barcode.decodeStrict(r.read(idx)));
                } else {
                    r.read(idx);
                }
            }
            long physAfter = NativeMemory.settledPhysicalBytes();
            long javacppAfter = Pointer.totalBytes();
            System.out.printf("3000 random reads: RSS %+d kB, JavaCPP bytes %+d%n", (physAfter - physBefore) / 1024,
                    javacppAfter - javacppBefore);
            assertTrue(physAfter - physBefore < 150 * MB,
                    "RSS grew by " + (physAfter - physBefore) / MB + " MB over 3000 reads");
            assertTrue(javacppAfter - javacppBefore < MB,
                    "JavaCPP-allocated bytes grew by " + (javacppAfter - javacppBefore));
        }
    }

    @Test
    void openCloseCyclesReleaseEverything() {
        Path mp4 = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, false, 30, 256, 256,
                VideoEncoderSettings.defaults().withKeyframeInterval(10), 0);
        Path avi = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.MJPEG_AVI, true, 30, 256, 256,
                VideoEncoderSettings.mjpegDefaults(), 0);
        for (int i = 0; i < 20; i++) {
            cycle(mp4, avi, i);
        }
        long physBefore = NativeMemory.settledPhysicalBytes();
        long javacppBefore = Pointer.totalBytes();
        for (int i = 0; i < 300; i++) {
            cycle(mp4, avi, i);
        }
        long physAfter = NativeMemory.settledPhysicalBytes();
        long javacppAfter = Pointer.totalBytes();
        System.out.printf("600 open/read/close cycles: RSS %+d kB, JavaCPP bytes %+d%n",
                (physAfter - physBefore) / 1024, javacppAfter - javacppBefore);
        // a reader holds a demuxer, a decoder with its frame pool and a conversion buffer: several MB
        assertTrue(physAfter - physBefore < 150 * MB,
                "RSS grew by " + (physAfter - physBefore) / MB + " MB over 600 open/read/close cycles");
        assertTrue(javacppAfter - javacppBefore < MB,
                "JavaCPP-allocated bytes grew by " + (javacppAfter - javacppBefore) + " after close()");
    }

    private static void cycle(Path mp4, Path avi, int i) {
        try (VideoChunkReader r = VideoChunkReader.open(mp4, i % 2 == 0)) {
            r.read(29);
            r.read(i % 30);
        }
        try (VideoChunkReader r = VideoChunkReader.open(avi, i % 2 == 1)) {
            r.read(i % 30);
        }
    }

    @Test
    void writersReleaseEverything() {
        for (int round = 0; round < 2; round++) {
            long physBefore = NativeMemory.settledPhysicalBytes();
            for (int i = 0; i < (round == 0 ? 5 : 60); i++) {
                StoreFormat f = i % 3 == 0 ? StoreFormat.MJPEG_AVI : i % 3 == 1 ? StoreFormat.H264_MKV
                        : StoreFormat.AVC1_MP4;
                try (VideoChunkWriter w = VideoChunkWriter.create(tmp.resolve("w" + i + f.extension()), f, 256, 256,
                        i % 2 == 0, PixelType.UINT8, VideoEncoderSettings.defaults())) {
                    for (int k = 0; k < 5; k++) {
                        w.write(Barcode.frame(k, 256, 256, i % 2 == 0));
                    }
                }
            }
            long physAfter = NativeMemory.settledPhysicalBytes();
            if (round == 1) {
                System.out.printf("60 writers: RSS %+d kB%n", (physAfter - physBefore) / 1024);
                assertTrue(physAfter - physBefore < 150 * MB,
                        "RSS grew by " + (physAfter - physBefore) / MB + " MB over 60 writers");
            }
        }
    }

    @Test
    void clipRemuxesThroughAChannelReleaseEverything() throws java.io.IOException {
        // CountingStoreFiles reports no local file: the remuxer opens both chunks through ChannelAvio
        Path a = VideoRoundTripTest.writeBarcodeVideo(java.nio.file.Files.createDirectory(tmp.resolve("a")), StoreFormat.AVC1_MP4, true, 30, 256, 256,
                VideoEncoderSettings.defaults().withKeyframeInterval(10), 0);
        Path b = VideoRoundTripTest.writeBarcodeVideo(java.nio.file.Files.createDirectory(tmp.resolve("b")), StoreFormat.AVC1_MP4, true, 30, 256, 256,
                VideoEncoderSettings.defaults().withKeyframeInterval(10), 100);
        CountingStoreFiles counting = new CountingStoreFiles(StoreFiles.LOCAL);
        List<ClipRemuxer.Run> runs = List.of(new ClipRemuxer.Run(a, 10, 20), new ClipRemuxer.Run(b, 0, 30));
        long liveBefore = ChannelAvio.live();
        for (int i = 0; i < 30; i++) {
            ClipRemuxer.plan(counting, runs).plan().orElseThrow().copy(25, OutputStream.nullOutputStream());
        }
        long physBefore = NativeMemory.settledPhysicalBytes();
        long javacppBefore = Pointer.totalBytes();
        int n = 300;
        for (int i = 0; i < n; i++) {
            ClipRemuxer.Plan plan = ClipRemuxer.plan(counting, runs).plan().orElseThrow();
            if (i % 100 == 0) { // now and then, prove the clip is still the right one
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                plan.copy(25, out);
                assertTrue(out.size() > 1000, "clip of " + out.size() + " bytes");
            } else {
                plan.copy(25, OutputStream.nullOutputStream());
            }
        }
        long physAfter = NativeMemory.settledPhysicalBytes();
        long javacppAfter = Pointer.totalBytes();
        System.out.printf("%d clip plans and copies through channels: RSS %+d kB, JavaCPP bytes %+d%n", n,
                (physAfter - physBefore) / 1024, javacppAfter - javacppBefore);
        assertEquals(liveBefore, ChannelAvio.live(), "AVIO contexts still open");
        assertEquals(0, counting.channelsOpen(), "channels still open");
        assertEquals(4L * (30 + n), counting.channelsOpened(), "two chunks, opened by the plan and by the copy");
        assertEquals(0, ClipRemuxer.openSinks());
        // a leaked demuxer, AVIO context or its 32 kB buffer per open would be 40+ MB over 1,200 opens
        assertTrue(javacppAfter - javacppBefore < MB, "JavaCPP-allocated bytes grew by " + (javacppAfter - javacppBefore));
        assertTrue(physAfter - physBefore < 64 * MB,
                "RSS grew by " + (physAfter - physBefore) / MB + " MB over " + n + " plans and copies");
    }
}
