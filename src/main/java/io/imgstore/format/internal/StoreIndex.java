package io.imgstore.format.internal;

import io.imgstore.format.FrameInfo;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * The frames of a whole store in index order (chunk by chunk, as imgstore's index), with lookups
 * by frame number (exact: the first frame with that number; nearest: smallest distance, first on
 * ties, as imgstore's SQL {@code ORDER BY ABS(? - x) LIMIT 1}) and by time.
 *
 * <p>Monotonic numbers or times (the common case) are binary-searched in place; otherwise numbers
 * get a sorted permutation, built once and lazily, and times a linear scan. Immutable and
 * thread-safe.
 */
public final class StoreIndex {

    private final long[] numbers;
    private final double[] times;
    private final int[] chunkOfFrame;
    private final int[] chunkStart;
    private final int[] chunks;
    private final boolean numbersIncreasing;
    private final boolean timesNonDecreasing;
    private volatile int[] numberOrder;

    public StoreIndex(List<ChunkIndex> chunkIndexes) {
        int total = 0;
        int nonEmpty = 0;
        for (ChunkIndex c : chunkIndexes) {
            total = Math.addExact(total, c.size());
            if (c.size() > 0) {
                nonEmpty++;
            }
        }
        numbers = new long[total];
        times = new double[total];
        chunkOfFrame = new int[nonEmpty];
        chunkStart = new int[nonEmpty + 1];
        chunks = new int[nonEmpty];
        int pos = 0;
        int ci = 0;
        for (ChunkIndex c : chunkIndexes.stream().sorted((a, b) -> Integer.compare(a.chunk(), b.chunk())).toList()) {
            if (c.size() == 0) {
                continue;
            }
            chunks[ci] = c.chunk();
            chunkStart[ci] = pos;
            System.arraycopy(c.frameNumbers(), 0, numbers, pos, c.size());
            System.arraycopy(c.frameTimes(), 0, times, pos, c.size());
            pos += c.size();
            ci++;
        }
        chunkStart[nonEmpty] = pos;
        boolean inc = true;
        for (int i = 1; i < total && inc; i++) {
            inc = numbers[i] > numbers[i - 1];
        }
        numbersIncreasing = inc;
        boolean nd = true;
        for (int i = 1; i < total && nd; i++) {
            nd = times[i] >= times[i - 1];
        }
        timesNonDecreasing = nd;
    }

    public int frameCount() {
        return numbers.length;
    }

    /** Non-empty chunk numbers, ascending. */
    public int[] chunks() {
        return chunks.clone();
    }

    public long frameNumber(int index) {
        return numbers[index];
    }

    public double frameTime(int index) {
        return times[index];
    }

    public FrameInfo info(int index) {
        return new FrameInfo(numbers[index], index, times[index]);
    }

    /** The chunk number holding frame {@code index}. */
    public int chunkOf(int index) {
        return chunks[chunkSlot(index)];
    }

    /** Position of frame {@code index} within its chunk. */
    public int positionInChunk(int index) {
        return index - chunkStart[chunkSlot(index)];
    }

    /** Index of the first frame of {@code chunk}, or -1. */
    public int firstIndexOfChunk(int chunk) {
        int slot = Arrays.binarySearch(chunks, chunk);
        return slot < 0 ? -1 : chunkStart[slot];
    }

    private int chunkSlot(int index) {
        if (index < 0 || index >= numbers.length) {
            throw new IndexOutOfBoundsException("frame index " + index + " outside 0.." + (numbers.length - 1));
        }
        int slot = Arrays.binarySearch(chunkStart, 0, chunks.length, index);
        if (slot < 0) {
            slot = -slot - 2;
        }
        while (slot + 1 < chunks.length && chunkStart[slot + 1] == index) {
            slot++;
        }
        return slot;
    }

    public long[] frameNumbers() {
        return numbers.clone();
    }

    public double[] frameTimes() {
        return times.clone();
    }

    public long frameMin() {
        return Arrays.stream(numbers).min().orElseThrow();
    }

    public long frameMax() {
        return Arrays.stream(numbers).max().orElseThrow();
    }

    public double frameTimeMin() {
        return Arrays.stream(times).min().orElse(0.0);
    }

    public double frameTimeMax() {
        return Arrays.stream(times).max().orElse(0.0);
    }

    /** Index of the first frame with exactly this number. */
    public OptionalInt indexOfNumber(long number) {
        if (numbers.length == 0) {
            return OptionalInt.empty();
        }
        if (numbersIncreasing) {
            int i = Arrays.binarySearch(numbers, number);
            return i >= 0 ? OptionalInt.of(i) : OptionalInt.empty();
        }
        int[] order = numberOrder();
        int lo = lowerBound(order, number);
        return lo < order.length && numbers[order[lo]] == number ? OptionalInt.of(order[lo]) : OptionalInt.empty();
    }

    /** Index of the frame whose number is nearest (first in index order on ties). */
    public int indexOfNearestNumber(long number) {
        requireFrames();
        if (numbersIncreasing) {
            int i = Arrays.binarySearch(numbers, number);
            if (i >= 0) {
                return i;
            }
            int ins = -i - 1;
            return nearestOf(ins - 1, ins, Math.abs((double) number - (ins > 0 ? numbers[ins - 1] : 0)),
                    Math.abs((double) number - (ins < numbers.length ? numbers[ins] : 0)));
        }
        int[] order = numberOrder();
        int lo = lowerBound(order, number);
        int best = -1;
        double bestDist = Double.MAX_VALUE;
        // candidates: all frames with the value just below and just above (first in index order on ties)
        for (int k : new int[] {lo - 1, lo}) {
            if (k < 0 || k >= order.length) {
                continue;
            }
            long v = numbers[order[k]];
            int first = lowerBound(order, v);
            int idx = order[first];
            double d = Math.abs((double) number - v);
            if (d < bestDist || (d == bestDist && idx < best)) {
                best = idx;
                bestDist = d;
            }
        }
        return best;
    }

    /** Index of the frame whose time is nearest (first in index order on ties). */
    public int indexOfNearestTime(double time) {
        requireFrames();
        if (timesNonDecreasing) {
            int lo = 0;
            int hi = times.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (times[mid] < time) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            // lo: first with times[lo] >= time; candidate below: first frame having value times[lo-1]
            int below = lo - 1;
            if (below >= 0) {
                double v = times[below];
                while (below > 0 && times[below - 1] == v) {
                    below--;
                }
            }
            return nearestOf(below, lo, below >= 0 ? Math.abs(time - times[below]) : Double.MAX_VALUE,
                    lo < times.length ? Math.abs(times[lo] - time) : Double.MAX_VALUE);
        }
        // times out of order (rare: a clock step): scan, keeping the first of equally near frames
        int best = 0;
        double bestDist = Math.abs(time - times[0]);
        for (int i = 1; i < times.length; i++) {
            double d = Math.abs(time - times[i]);
            if (d < bestDist) {
                best = i;
                bestDist = d;
            }
        }
        return best;
    }

    private int nearestOf(int below, int above, double dBelow, double dAbove) {
        if (below < 0) {
            return above;
        }
        if (above >= numbers.length) {
            return below;
        }
        return dBelow <= dAbove ? below : above;
    }

    private void requireFrames() {
        if (numbers.length == 0) {
            throw new io.imgstore.format.FrameNotFoundException("the store has no frames");
        }
    }

    private int lowerBound(int[] order, long value) {
        int lo = 0;
        int hi = order.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (numbers[order[mid]] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int[] numberOrder() {
        int[] o = numberOrder;
        if (o == null) {
            o = java.util.stream.IntStream.range(0, numbers.length).boxed()
                    .sorted((a, b) -> numbers[a] != numbers[b] ? Long.compare(numbers[a], numbers[b]) : Integer.compare(a, b))
                    .mapToInt(Integer::intValue).toArray();
            numberOrder = o;
        }
        return o;
    }
}
