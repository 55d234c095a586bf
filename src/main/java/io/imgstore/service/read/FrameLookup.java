package io.imgstore.service.read;

import io.imgstore.format.FrameInfo;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.ImgStore;
import io.imgstore.service.web.BadRequestException;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/** Pipeline step 1: which frame index a request names, from the store's index alone (no decoding). */
@Component
class FrameLookup {

    /**
     * @throws FrameNotFoundException for absent frame numbers, indexes outside the store, and
     *                                nearest-frame requests on a store without frames
     * @throws BadRequestException    for a time that is not a finite number
     */
    FrameInfo locate(ImgStore store, FrameSelector selector) {
        int count = store.frameCount();
        if (selector instanceof FrameSelector.ByNumber n) {
            if (n.exact()) {
                OptionalInt i = store.indexOfFrameNumber(n.number());
                if (i.isEmpty()) {
                    throw new FrameNotFoundException("frame number " + n.number() + " not in store");
                }
                return store.frameInfo(i.getAsInt());
            }
            requireFrames(count);
            return store.frameInfo(store.indexOfNearestFrameNumber(n.number()));
        }
        if (selector instanceof FrameSelector.ByIndex i) {
            if (i.index() < 0 || i.index() >= count) {
                throw new FrameNotFoundException(count == 0 ? "store has no frames"
                        : "frame index " + i.index() + " outside 0.." + (count - 1));
            }
            return store.frameInfo(i.index());
        }
        FrameSelector.ByTime t = (FrameSelector.ByTime) selector;
        if (!Double.isFinite(t.seconds())) {
            throw new BadRequestException("time must be a finite number of seconds");
        }
        requireFrames(count);
        return store.frameInfo(store.indexOfNearestTime(t.seconds()));
    }

    private static void requireFrames(int count) {
        if (count == 0) {
            throw new FrameNotFoundException("store has no frames");
        }
    }
}
