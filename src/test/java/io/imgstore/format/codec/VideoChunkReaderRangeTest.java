package io.imgstore.format.codec;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The limited-to-full range expansion of gray frames, value by value against the exact formula. */
class VideoChunkReaderRangeTest {

    @Test
    void everyLumaValueExpandsAsTheExactFormula() {
        try (Mat limited = new Mat(3, 256, CV_8UC1); Mat full = new Mat(3, 256, CV_8UC1)) {
            for (int row = 0; row < 3; row++) {
                for (int y = 0; y < 256; y++) {
                    limited.ptr(row, y).put((byte) y);
                }
            }
            VideoChunkReader.expandLimitedRange(limited, full);
            for (int row = 0; row < 3; row++) {
                for (int y = 0; y < 256; y++) {
                    long exact = Math.max(0, Math.min(255, Math.round((y - 16) * 255.0 / 219.0)));
                    assertEquals(exact, full.ptr(row, y).get() & 0xff, "luma " + y);
                }
            }
        }
    }
}
