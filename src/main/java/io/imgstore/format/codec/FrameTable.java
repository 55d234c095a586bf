package io.imgstore.format.codec;

import java.util.Arrays;

/**
 * The frames of one video stream in presentation order, built by demuxing every packet (no
 * decoding): frame {@code i} of a chunk is the packet with the {@code i}-th smallest presentation
 * timestamp. Immutable.
 */
final class FrameTable {

    private final long[] pts;
    private final boolean[] keyframe;
    /** For each frame, the index of the last keyframe at or before it (presentation order), or -1. */
    private final int[] keyBefore;
    private final int longestGroup;

    private FrameTable(long[] pts, boolean[] keyframe) {
        this.pts = pts;
        this.keyframe = keyframe;
        this.keyBefore = new int[pts.length];
        int last = -1;
        for (int i = 0; i < pts.length; i++) {
            if (keyframe[i]) {
                last = i;
            }
            keyBefore[i] = last;
        }
        int longest = 0;
        for (int i = 0; i < keyBefore.length; i++) {
            longest = Math.max(longest, i - Math.max(0, keyBefore[i]) + 1);
        }
        this.longestGroup = longest;
    }

    /** Collects packets in demux (decode) order, then sorts them into presentation order. */
    static final class Builder {
        private long[] ts;
        private boolean[] key;
        private int n;

        Builder() {
            this(1024);
        }

        Builder(int capacity) {
            ts = new long[Math.max(1, capacity)];
            key = new boolean[Math.max(1, capacity)];
        }

        void add(long presentationTs, boolean isKey) {
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                key = Arrays.copyOf(key, n * 2);
            }
            ts[n] = presentationTs;
            key[n] = isKey;
            n++;
        }

        int size() {
            return n;
        }

        FrameTable build() {
            boolean sorted = true;
            for (int i = 1; i < n && sorted; i++) {
                sorted = ts[i - 1] <= ts[i];
            }
            if (sorted) {
                return new FrameTable(Arrays.copyOf(ts, n), Arrays.copyOf(key, n));
            }
            // Sort indices by timestamp (stable, so duplicate timestamps keep demux order).
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(ts[a], ts[b]));
            long[] sortedTs = new long[n];
            boolean[] sortedKey = new boolean[n];
            for (int i = 0; i < n; i++) {
                sortedTs[i] = ts[order[i]];
                sortedKey[i] = key[order[i]];
            }
            return new FrameTable(sortedTs, sortedKey);
        }
    }

    int size() {
        return pts.length;
    }

    long pts(int frameIdx) {
        return pts[frameIdx];
    }

    boolean isKeyframe(int frameIdx) {
        return keyframe[frameIdx];
    }

    /** The last keyframe at or before {@code frameIdx} in presentation order, -1 if none. */
    int keyframeBefore(int frameIdx) {
        return keyBefore[frameIdx];
    }

    /** The most frames from a keyframe to the next one (or to the end), the longest decode run of a read. */
    int longestGroup() {
        return longestGroup;
    }

    /** Number of keyframes. */
    int keyframeCount() {
        int c = 0;
        for (boolean k : keyframe) {
            if (k) {
                c++;
            }
        }
        return c;
    }

    /** The frame index with exactly this timestamp, or -1. */
    int indexOf(long timestamp) {
        int i = Arrays.binarySearch(pts, timestamp);
        if (i < 0) {
            return -1;
        }
        while (i > 0 && pts[i - 1] == timestamp) {
            i--;
        }
        return i;
    }

    boolean hasDuplicateTimestamps() {
        for (int i = 1; i < pts.length; i++) {
            if (pts[i] == pts[i - 1]) {
                return true;
            }
        }
        return false;
    }
}
