package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.Image;
import io.imgstore.format.StoreFormat;
import io.imgstore.testing.Barcode;
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
 * The frame table from the container index equals the one from demuxing every packet, and reads
 * served from {@link DecodedFrameCache} are the exact frames (barcodes), in shuffled and
 * backwards order on a long group of pictures.
 */
class IndexOpenAndFrameCacheTest {

    static final int FRAMES = 120;
    static final int HEIGHT = 96;
    static final int WIDTH = 160;

    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        System.clearProperty(VideoChunkReader.INDEX_OPEN_PROPERTY);
        DecodedFrameCache.shared().setCapacity(DecodedFrameCache.DEFAULT_CAPACITY);
        DecodedFrameCache.shared().clear();
    }

    @ParameterizedTest(name = "{0} fragmented={1}")
    @CsvSource({"avc1/mp4,false", "avc1/mp4,true", "h264/mkv,false", "mjpeg/avi,false"})
    void indexTableEqualsDemuxedTable(String formatName, boolean fragmented) {
        StoreFormat format = StoreFormat.of(formatName);
        VideoEncoderSettings s = VideoEncoderSettings.defaults(format).withKeyframeInterval(7).withFragmented(fragmented);
        Path file = VideoRoundTripTest.writeBarcodeVideo(tmp, format, false, FRAMES, HEIGHT, WIDTH, s, 0);
        FrameTable scanned;
        System.setProperty(VideoChunkReader.INDEX_OPEN_PROPERTY, "false");
        try (VideoChunkReader r = VideoChunkReader.open(file, false)) {
            assertFalse(r.tableFromIndex());
            scanned = r.frameTable();
        }
        System.clearProperty(VideoChunkReader.INDEX_OPEN_PROPERTY);
        try (VideoChunkReader r = VideoChunkReader.open(file, false)) {
            assertEquals(format.equals(StoreFormat.AVC1_MP4), r.tableFromIndex(), "index used");
            FrameTable t = r.frameTable();
            assertEquals(scanned.size(), t.size());
            for (int i = 0; i < t.size(); i++) {
                assertEquals(scanned.pts(i), t.pts(i), "pts of " + i);
                assertEquals(scanned.isKeyframe(i), t.isKeyframe(i), "keyframe flag of " + i);
            }
            List<Integer> order = shuffled(FRAMES);
            for (int idx : order) {
                assertEquals(idx, Barcode.decodeStrict(r.read(idx)), "frame " + idx);
            }
        }
    }

    @ParameterizedTest(name = "color={0} fragmented={1}")
    @CsvSource({"false,false", "true,true"})
    void cachedFramesAreExactOnALongGop(boolean color, boolean fragmented) throws Exception {
        DecodedFrameCache cache = DecodedFrameCache.shared();
        cache.clear();
        VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(60).withFragmented(fragmented);
        Path file = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, color, FRAMES, HEIGHT, WIDTH, s, 0);
        try (VideoChunkReader r = VideoChunkReader.open(file, color)) {
            // backwards: every read after the first of a group of pictures comes from the cache
            for (int idx = FRAMES - 1; idx >= 0; idx--) {
                Image img = r.read(idx);
                assertEquals(idx, Barcode.decodeStrict(img), "frame " + idx);
                img.data()[0] ^= 0x55; // callers own their copy: must not change the cached frame
            }
            assertTrue(cache.hits() > FRAMES / 2, "cache hits " + cache.hits());
            for (int pass = 0; pass < 2; pass++) {
                for (int idx : shuffled(FRAMES)) {
                    assertEquals(idx, Barcode.decodeStrict(r.read(idx)), "frame " + idx);
                }
            }
            // readNext follows the last frame returned, also after a cache hit
            r.read(30);
            r.read(FRAMES - 1);
            r.read(29);
            assertEquals(30, Barcode.decodeStrict(r.readNext()));
        }
        // another file at the same path is another file for the cache
        Files.delete(file);
        Path again = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, color, FRAMES, HEIGHT, WIDTH, s,
                500);
        assertEquals(file, again);
        try (VideoChunkReader r = VideoChunkReader.open(again, color)) {
            for (int idx : shuffled(FRAMES)) {
                assertEquals(500 + idx, Barcode.decodeStrict(r.read(idx)), "frame " + idx);
            }
        }
    }

    /** Viewers playing forward and a random reader, interleaved on one pool: every frame exact. */
    @ParameterizedTest(name = "parking={0}")
    @CsvSource({"true", "false"})
    void parkedDecodersServeExactFrames(boolean parking) throws Exception {
        DecodedFrameCache.shared().setCapacity(0);
        if (!parking) {
            System.setProperty(io.imgstore.format.internal.VideoFrameSource.PARKING_PROPERTY, "false");
        }
        try {
            VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(40).withFragmented(true);
            Path file = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, true, FRAMES, HEIGHT, WIDTH, s,
                    0);
            Path chunk = io.imgstore.format.internal.VideoFrameSource.chunkPath(tmp, 0, ".mp4");
            Files.move(file, chunk);
            Random rnd = new Random(3);
            try (var src = new io.imgstore.format.internal.VideoFrameSource(tmp, ".mp4", true, 3)) {
                int[] viewer = {5, 45, 81};
                for (int step = 0; step < 35; step++) {
                    for (int v = 0; v < viewer.length; v++) {
                        int idx = viewer[v]++;
                        assertEquals(idx, Barcode.decodeStrict(src.read(0, idx)), "viewer frame " + idx);
                    }
                    int idx = rnd.nextInt(FRAMES);
                    assertEquals(idx, Barcode.decodeStrict(src.read(0, idx)), "random frame " + idx);
                }
                // keyframe every 40: long groups, small frames, so the pool may park more than maxIdle
                assertTrue(src.idleDecoders() <= io.imgstore.format.internal.VideoFrameSource.MAX_PARKED,
                        "idle decoders " + src.idleDecoders());
            }
        } finally {
            System.clearProperty(io.imgstore.format.internal.VideoFrameSource.PARKING_PROPERTY);
        }
    }

    /**
     * Uniform random reads, one at a time: in long groups of pictures the pool parks more decoders
     * than {@code maxIdle} (each saves a later read the decoding from its keyframe), bounded; in
     * short groups it keeps {@code maxIdle}.
     */
    @ParameterizedTest(name = "keyframe every {0}")
    @CsvSource({"10", "60"})
    void longGroupsParkMoreDecoders(int keyframeInterval) throws Exception {
        DecodedFrameCache.shared().setCapacity(0);
        Path dir = Files.createDirectories(tmp.resolve("k" + keyframeInterval));
        VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(keyframeInterval);
        Path file = VideoRoundTripTest.writeBarcodeVideo(dir, StoreFormat.AVC1_MP4, true, FRAMES, HEIGHT, WIDTH, s, 0);
        Files.move(file, io.imgstore.format.internal.VideoFrameSource.chunkPath(dir, 0, ".mp4"));
        Random rnd = new Random(5);
        int maxIdle = 2;
        try (var src = new io.imgstore.format.internal.VideoFrameSource(dir, ".mp4", true, maxIdle)) {
            for (int i = 0; i < 200; i++) {
                int idx = rnd.nextInt(FRAMES);
                assertEquals(idx, Barcode.decodeStrict(src.read(0, idx)), "frame " + idx);
            }
            try (VideoChunkReader r = VideoChunkReader.open(io.imgstore.format.internal.VideoFrameSource.chunkPath(dir, 0,
                    ".mp4"), true)) {
                int limit = src.limitFor(r);
                if (keyframeInterval >= VideoChunkReader.LONG_GROUP) {
                    assertTrue(limit > maxIdle && limit <= io.imgstore.format.internal.VideoFrameSource.MAX_PARKED,
                            "limit " + limit);
                    assertTrue(src.idleDecoders() > maxIdle && src.idleDecoders() <= limit,
                            "idle decoders " + src.idleDecoders());
                } else {
                    assertEquals(maxIdle, limit);
                    assertTrue(src.idleDecoders() <= maxIdle, "idle decoders " + src.idleDecoders());
                }
            }
        }
    }

    @Test
    void disabledCacheKeepsNothing() {
        DecodedFrameCache cache = DecodedFrameCache.shared();
        cache.setCapacity(0);
        cache.clear();
        VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(60);
        Path file = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, false, FRAMES, HEIGHT, WIDTH, s, 0);
        try (VideoChunkReader r = VideoChunkReader.open(file, false)) {
            for (int idx = FRAMES - 1; idx >= FRAMES - 20; idx--) {
                assertEquals(idx, Barcode.decodeStrict(r.read(idx)));
            }
        }
        assertEquals(0, cache.bytes());
        assertEquals(0, cache.hits());
    }

    private static List<Integer> shuffled(int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        return order;
    }

    /**
     * Frames decoded on the way are kept only for a client stepping or scrubbing (the previous read
     * of the file near: within the frames a quarter of the cache holds, here 8); jumps ahead and far
     * back keep the returned frame alone.
     */
    @org.junit.jupiter.api.Test
    void framesOnTheWayAreKeptOnlyNearThePreviousRead() {
        DecodedFrameCache cache = DecodedFrameCache.shared();
        long frameBytes = (long) HEIGHT * WIDTH;
        long capacity = cache.capacity();
        cache.clear();
        cache.setCapacity(32 * frameBytes);
        try {
            VideoEncoderSettings s = VideoEncoderSettings.defaults().withKeyframeInterval(60);
            Path file = VideoRoundTripTest.writeBarcodeVideo(tmp, StoreFormat.AVC1_MP4, false, FRAMES, HEIGHT, WIDTH, s,
                    0);
            try (VideoChunkReader r = VideoChunkReader.open(file, false)) {
                // 103: frames 95..102 kept on the way (100 was cached already), and 103 itself
                int[][] readsAndFramesCached = {{100, 1}, {110, 2}, {50, 3}, {105, 4}, {103, 4 + 8 - 1 + 1}};
                for (int[] rc : readsAndFramesCached) {
                    assertEquals(rc[0], Barcode.decodeStrict(r.read(rc[0])), "frame " + rc[0]);
                    assertEquals(rc[1] * frameBytes, cache.bytes(), "frames cached after reading " + rc[0]);
                }
                long hits = cache.hits();
                assertEquals(102, Barcode.decodeStrict(r.read(102)));
                assertEquals(95, Barcode.decodeStrict(r.read(95)));
                assertEquals(hits + 2, cache.hits(), "the next steps back are copies");
            }
        } finally {
            cache.clear();
            cache.setCapacity(capacity);
        }
    }
}
