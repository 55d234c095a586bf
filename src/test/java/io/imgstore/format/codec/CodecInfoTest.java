package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodecInfoTest {

    @Test
    void describesTheBuild() {
        String h264 = CodecInfo.h264Encoder();
        assertTrue(h264 != null && h264.startsWith("libopenh264"), h264);
        assertTrue(h264.contains("LGPL"), h264);
        String v = CodecInfo.versions();
        assertTrue(v.contains("FFmpeg 7.") && v.contains("OpenCV 4."), v);
    }
}
