package io.imgstore.service.ingest;

import io.imgstore.format.Image;
import java.util.Map;

/**
 * One frame of the ingest wire format, parsed and ready for {@code ImgStoreWriter.addImage}.
 *
 * @param frameNumber the frame number
 * @param frameTime   the frame time (seconds since the epoch, as imgstore's {@code time.time()})
 * @param extra       extra data to record right after this frame, or null
 * @param image       the frame, in the store's shape and dtype
 * @param heldBytes   bytes of the shared buffer budget this record holds until it is written
 */
public record FrameRecord(long frameNumber, double frameTime, Map<String, Object> extra, Image image, long heldBytes) {
}
