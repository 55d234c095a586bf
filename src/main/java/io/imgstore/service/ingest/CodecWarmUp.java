package io.imgstore.service.ingest;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.codec.ImageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the OpenCV/FFmpeg natives in the background at start, so that the first frame a rig sends
 * is not held up for seconds (which would also delay the answer to its first request).
 */
final class CodecWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(CodecWarmUp.class);

    private CodecWarmUp() {
    }

    static void start() {
        Thread t = new Thread(() -> {
            try {
                ImageCodec.encode(Image.blank(2, 2, 1, PixelType.UINT8), ".png", 95);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("codec natives could not be loaded: {}", e.toString());
            }
        }, "ingest-codec-warmup");
        t.setDaemon(true);
        t.start();
    }
}
