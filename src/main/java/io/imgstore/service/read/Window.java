package io.imgstore.service.read;

import io.imgstore.service.web.BadRequestException;

/**
 * An inclusive window of frame numbers and frame times; unset bounds are open.
 *
 * @param frameMin     smallest frame number kept, or null
 * @param frameMax     largest frame number kept, or null
 * @param frameTimeMin earliest frame time kept, or null
 * @param frameTimeMax latest frame time kept, or null
 */
record Window(Long frameMin, Long frameMax, Double frameTimeMin, Double frameTimeMax) {

    Window {
        if (frameMin != null && frameMax != null && frameMin > frameMax) {
            throw new BadRequestException("frame_min must not exceed frame_max");
        }
        for (Double t : new Double[] {frameTimeMin, frameTimeMax}) {
            if (t != null && !Double.isFinite(t)) {
                throw new BadRequestException("frame_time_min and frame_time_max must be finite numbers");
            }
        }
        if (frameTimeMin != null && frameTimeMax != null && frameTimeMin > frameTimeMax) {
            throw new BadRequestException("frame_time_min must not exceed frame_time_max");
        }
    }

    boolean open() {
        return frameMin == null && frameMax == null && frameTimeMin == null && frameTimeMax == null;
    }

    boolean hasNumberBounds() {
        return frameMin != null || frameMax != null;
    }

    boolean hasTimeBounds() {
        return frameTimeMin != null || frameTimeMax != null;
    }

    boolean containsNumber(long n) {
        return (frameMin == null || n >= frameMin) && (frameMax == null || n <= frameMax);
    }

    boolean containsTime(double t) {
        return (frameTimeMin == null || t >= frameTimeMin) && (frameTimeMax == null || t <= frameTimeMax);
    }

    boolean contains(long number, double time) {
        return containsNumber(number) && containsTime(time);
    }
}
