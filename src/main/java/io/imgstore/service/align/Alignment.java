package io.imgstore.service.align;

import io.imgstore.format.ImgStore;
import io.imgstore.service.web.BadRequestException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Stores aligned by frame number, from their indexes alone (nothing decoded).
 *
 * @param numbers the aligned frame numbers, ascending
 * @param shown   per store, per aligned number: the index of the frame the store shows for it
 *                (its own frame, or under {@link AlignPolicy#HOLD} the one held), -1 for black
 * @param present per store, per aligned number: whether the store has a frame with that number
 */
record Alignment(AlignPolicy policy, long[] numbers, int[][] shown, boolean[][] present) {

    /**
     * @param from first frame number to answer (inclusive), null: no bound
     * @param to   last frame number to answer (inclusive), null: no bound
     */
    static Alignment of(List<ImgStore> stores, AlignPolicy policy, Long from, Long to, int maxRows) {
        int k = stores.size();
        long[][] sorted = new long[k][];
        for (int s = 0; s < k; s++) {
            sorted[s] = LongStream.of(stores.get(s).frameMetadata().frameNumbers()).sorted().distinct().toArray();
        }
        LongStream all = LongStream.of(sorted[0]);
        for (int s = 1; s < k; s++) {
            all = LongStream.concat(all, LongStream.of(sorted[s]));
        }
        long lo = from == null ? Long.MIN_VALUE : from;
        long hi = to == null ? Long.MAX_VALUE : to;
        if (lo > hi) {
            throw new BadRequestException("from " + lo + " is after to " + hi);
        }
        long[] numbers = all.filter(n -> n >= lo && n <= hi).sorted().distinct()
                .filter(n -> policy != AlignPolicy.DROP || inAll(sorted, n)).toArray();
        if (numbers.length > maxRows) {
            throw new BadRequestException("the alignment has " + numbers.length
                    + " frame numbers, more than imgstore.bulk.max-align-frames (" + maxRows + "); give from/to");
        }
        int[][] shown = new int[k][numbers.length];
        boolean[][] present = new boolean[k][numbers.length];
        for (int s = 0; s < k; s++) {
            ImgStore store = stores.get(s);
            for (int r = 0; r < numbers.length; r++) {
                int at = Arrays.binarySearch(sorted[s], numbers[r]);
                present[s][r] = at >= 0;
                if (at >= 0) {
                    shown[s][r] = store.indexOfFrameNumber(numbers[r]).getAsInt();
                } else if (policy == AlignPolicy.HOLD && -at - 2 >= 0) {
                    shown[s][r] = store.indexOfFrameNumber(sorted[s][-at - 2]).getAsInt();
                } else {
                    shown[s][r] = -1;
                }
            }
        }
        return new Alignment(policy, numbers, shown, present);
    }

    private static boolean inAll(long[][] sorted, long n) {
        for (long[] s : sorted) {
            if (Arrays.binarySearch(s, n) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The row of an aligned frame number, or -1 when the alignment does not have it. */
    int row(long number) {
        int r = Arrays.binarySearch(numbers, number);
        return r >= 0 ? r : -1;
    }
}
