package io.imgstore.service.bulk;

import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.ImgStore;
import io.imgstore.service.web.BadRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The frames a bulk read answers, as store indexes in answer order, worked out from the store's
 * index alone (nothing is decoded), so the count is known before the first byte is sent.
 *
 * <ul>
 *   <li>{@code from}/{@code to}/{@code step}: the frames present whose frame number is in
 *       {@code [from, to]} (inclusive; defaults: the store's smallest and largest) and is
 *       {@code from + k * step}, in index order; numbers absent from the store are skipped, never
 *       invented.</li>
 *   <li>{@code index_from}/{@code index_to}/{@code step}: indexes {@code index_from, +step, ...}
 *       up to {@code index_to} (inclusive), cut to the store's frames.</li>
 *   <li>{@code numbers=1,5,9}: exactly these frames, in this order (repeats allowed); a number the
 *       store does not have is a {@link FrameNotFoundException} (404) before anything is sent.</li>
 * </ul>
 * More than {@code imgstore.bulk.max-frames} frames is a {@link BadRequestException} naming the limit.
 */
record FrameSelection(int[] indexes) {

    /**
     * The query parameters of a bulk read (null: not given): {@code numbers} as the URL carries them
     * (comma-separated), {@code numberList} as a POST body does (already parsed and counted).
     */
    record Query(Long from, Long to, Long step, Long indexFrom, Long indexTo, String numbers, long[] numberList) {
        Query(Long from, Long to, Long step, Long indexFrom, Long indexTo, String numbers) {
            this(from, to, step, indexFrom, indexTo, numbers, null);
        }

        /** An explicit list (a POST body). */
        static Query ofNumbers(long[] numbers) {
            return new Query(null, null, null, null, null, null, numbers);
        }
    }

    int size() {
        return indexes.length;
    }

    static FrameSelection of(ImgStore store, Query q, int maxFrames) {
        return of(store, q, maxFrames, "imgstore.bulk.max-frames");
    }

    /** As above, naming {@code limitName} when over {@code maxFrames}. */
    static FrameSelection of(ImgStore store, Query q, int maxFrames, String limitName) {
        boolean byNumber = q.from() != null || q.to() != null;
        boolean byIndex = q.indexFrom() != null || q.indexTo() != null;
        boolean byList = q.numbers() != null || q.numberList() != null;
        if ((byNumber ? 1 : 0) + (byIndex ? 1 : 0) + (byList ? 1 : 0) > 1) {
            throw new BadRequestException("give one of from/to, index_from/index_to or numbers");
        }
        long step = q.step() == null ? 1 : q.step();
        if (step < 1) {
            throw new BadRequestException("step must be >= 1, got " + step);
        }
        if (byList) {
            if (q.step() != null) {
                throw new BadRequestException("step does not apply to numbers=");
            }
            long[] list = q.numberList() != null ? q.numberList() : parse(q.numbers(), maxFrames, limitName);
            checkLimit(list.length, maxFrames, limitName);
            return numbers(store, list);
        }
        if (byIndex) {
            return indexRange(store, q.indexFrom(), q.indexTo(), step, maxFrames, limitName);
        }
        return numberRange(store, q.from(), q.to(), step, maxFrames, limitName);
    }

    private static FrameSelection indexRange(ImgStore store, Long fromArg, Long toArg, long step, int maxFrames,
                                             String limitName) {
        long from = fromArg == null ? 0 : fromArg;
        long to = toArg == null ? store.frameCount() - 1L : toArg;
        if (from < 0 || to < 0) {
            throw new BadRequestException("index_from and index_to must be >= 0");
        }
        if (from > to) {
            throw new BadRequestException("index_from " + from + " is after index_to " + to);
        }
        to = Math.min(to, store.frameCount() - 1L);
        if (from > to) {
            return new FrameSelection(new int[0]);
        }
        long n = (to - from) / step + 1;
        checkLimit(n, maxFrames, limitName);
        int[] out = new int[(int) n];
        for (int k = 0; k < n; k++) {
            out[k] = (int) (from + k * step);
        }
        return new FrameSelection(out);
    }

    private static FrameSelection numberRange(ImgStore store, Long fromArg, Long toArg, long step, int maxFrames,
                                             String limitName) {
        if (store.frameCount() == 0) {
            return new FrameSelection(new int[0]);
        }
        long from = fromArg == null ? store.frameMin().getAsLong() : fromArg;
        long to = toArg == null ? store.frameMax().getAsLong() : toArg;
        if (from > to) {
            throw new BadRequestException("from " + from + " is after to " + to);
        }
        long[] numbers = store.frameMetadata().frameNumbers();
        int n = 0;
        for (long v : numbers) {
            if (in(v, from, to, step)) {
                n++;
            }
        }
        checkLimit(n, maxFrames, limitName);
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < numbers.length; i++) {
            if (in(numbers[i], from, to, step)) {
                out[k++] = i;
            }
        }
        return new FrameSelection(out);
    }

    private static boolean in(long v, long from, long to, long step) {
        return v >= from && v <= to && Math.floorMod(v - from, step) == 0;
    }

    private static long[] parse(String list, int maxFrames, String limitName) {
        String[] parts = list.split(",", -1);
        checkLimit(parts.length, maxFrames, limitName);
        long[] out = new long[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                out[k] = Long.parseLong(parts[k].trim());
            } catch (NumberFormatException e) {
                throw new BadRequestException("numbers: '" + abbreviate(parts[k]) + "' is not a frame number");
            }
        }
        return out;
    }

    private static FrameSelection numbers(ImgStore store, long[] list) {
        int[] out = new int[list.length];
        List<Long> missing = new ArrayList<>();
        for (int k = 0; k < list.length; k++) {
            OptionalInt i = store.indexOfFrameNumber(list[k]);
            if (i.isEmpty()) {
                missing.add(list[k]);
            } else {
                out[k] = i.getAsInt();
            }
        }
        if (!missing.isEmpty()) {
            throw new FrameNotFoundException((missing.size() == 1 ? "frame number " : missing.size() + " frame numbers ")
                    + (missing.size() > 10 ? missing.subList(0, 10) + "..." : missing.size() == 1
                    ? missing.get(0).toString() : missing.toString()) + " not in store");
        }
        return new FrameSelection(out);
    }

    private static void checkLimit(long n, int maxFrames, String limitName) {
        if (n > maxFrames) {
            throw new BadRequestException("the request selects " + n + " frames, more than " + limitName + " ("
                    + maxFrames + "); split it into smaller ranges");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "..." : s;
    }
}
