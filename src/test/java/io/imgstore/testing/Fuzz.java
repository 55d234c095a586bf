package io.imgstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small property-based fuzzing harness for the readers of untrusted bytes: seeded random inputs
 * and mutations of valid ones (bit flips, truncation, insertions, duplicated slices, huge length
 * fields, huge numbers in text headers), each run under an allocation bound and checked to end
 * either normally or in one of the allowed exceptions. A failure names its seed and try, so it can
 * be replayed with {@code -Dimgstore.fuzz.seed=...}.
 */
public final class Fuzz {

    /** Seed of a run: {@code -Dimgstore.fuzz.seed} or a fixed default, so CI runs are reproducible. */
    public static final long SEED = Long.getLong("imgstore.fuzz.seed", 0x5eed_1e55L);

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final List<String> HUGE_NUMBERS = List.of("46340", "65536", "2147483647", "2147483648",
            "4294967295", "9223372036854775807", "18446744073709551616", "-1", "0", "1e30", "1e400", "NaN", "-0",
            "99999999999999999999999999", "1.5", "16384");
    private static final int[] HUGE_INTS = {0x7fffffff, 0xffffffff, 0x80000000, 0x7ffffff0, 0x0000ffff, 0x00ffffff};

    private Fuzz() {
    }

    /** One run's outcome: how it ended, for statistics. */
    public enum Outcome { OK, REJECTED }

    /** Bytes allocated by the current thread so far (HotSpot). */
    public static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Code under test: may return normally or throw. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws Exception;
    }

    /**
     * Runs {@code attempt} and checks that it ends normally or throws one of {@code allowed}, having
     * allocated less than {@code maxBytes}.
     */
    @SafeVarargs
    public static Outcome check(String what, long maxBytes, Attempt attempt, Class<? extends Throwable>... allowed) {
        long before = allocatedBytes();
        Throwable thrown = null;
        try {
            attempt.run();
        } catch (Throwable t) {
            thrown = t;
        }
        long used = allocatedBytes() - before;
        Throwable t = thrown;
        if (t != null && Arrays.stream(allowed).noneMatch(c -> c.isInstance(t))) {
            throw new AssertionError(what + ": ended in " + thrown + " (allowed: " + Arrays.toString(allowed) + ")",
                    thrown);
        }
        assertThat(used).as(what + ": bytes allocated (ended in " + thrown + ")").isLessThan(maxBytes);
        return thrown == null ? Outcome.OK : Outcome.REJECTED;
    }

    /** Runs {@code tries} tries of {@code body}, each with its own {@link Random} seeded from {@link #SEED}. */
    public static void forAll(String property, int tries, TryBody body) {
        Random master = new Random(SEED ^ property.hashCode());
        for (int i = 0; i < tries; i++) {
            long seed = master.nextLong();
            try {
                body.run(new Random(seed), i);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(property + " failed at try " + i + " (try seed " + seed + ", run seed " + SEED
                        + "): " + e.getMessage(), e);
            } catch (Exception e) {
                throw new AssertionError(property + " failed at try " + i + " (try seed " + seed + ")", e);
            }
        }
    }

    /** One try of a property. */
    @FunctionalInterface
    public interface TryBody {
        void run(Random random, int tryNumber) throws Exception;
    }

    /** A random mutation (or a few) of {@code seed}; never larger than {@code seed.length + 4096}. */
    public static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            b = mutateOnce(b, r);
        }
        return b;
    }

    private static byte[] mutateOnce(byte[] b, Random r) {
        if (b.length == 0) {
            return randomBytes(r, 1 + r.nextInt(64));
        }
        int at = r.nextInt(b.length);
        switch (r.nextInt(9)) {
            case 0 -> { // bit flips
                byte[] c = b.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    int p = r.nextInt(c.length);
                    c[p] ^= (byte) (1 << r.nextInt(8));
                }
                return c;
            }
            case 1 -> { // truncation
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 2 -> { // special bytes
                byte[] c = b.clone();
                byte[] special = {0, (byte) 0xff, 0x7f, (byte) 0x80, '\'', '(', ')', ',', ':', '{', '}', '[', ']', '\n'};
                c[at] = special[r.nextInt(special.length)];
                return c;
            }
            case 3 -> { // insert random bytes
                byte[] ins = randomBytes(r, 1 + r.nextInt(32));
                return splice(b, at, 0, ins);
            }
            case 4 -> { // delete a slice
                int len = 1 + r.nextInt(Math.min(32, b.length - at));
                return splice(b, at, len, new byte[0]);
            }
            case 5 -> { // duplicate a slice
                int len = 1 + r.nextInt(Math.min(256, b.length - at));
                return splice(b, at, 0, Arrays.copyOfRange(b, at, at + len));
            }
            case 6 -> { // a huge 32-bit field, big- or little-endian
                byte[] c = b.clone();
                int v = HUGE_INTS[r.nextInt(HUGE_INTS.length)];
                boolean big = r.nextBoolean();
                for (int k = 0; k < 4 && at + k < c.length; k++) {
                    int shift = big ? 24 - 8 * k : 8 * k;
                    c[at + k] = (byte) (v >>> shift);
                }
                return c;
            }
            case 7, 8 -> { // a number in text replaced by a huge or odd one
                return replaceNumber(b, r);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Replaces one decimal number found in the (ISO-8859-1 view of the) bytes by a huge or odd one. */
    public static byte[] replaceNumber(byte[] b, Random r) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        Matcher m = NUMBER.matcher(text);
        List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return b;
        }
        int[] s = spans.get(r.nextInt(spans.size()));
        String out = text.substring(0, s[0]) + HUGE_NUMBERS.get(r.nextInt(HUGE_NUMBERS.size())) + text.substring(s[1]);
        return out.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    /** Picks one of the seeds, mutated most of the time (sometimes unchanged, sometimes pure noise). */
    public static byte[] input(List<byte[]> seeds, Random r) {
        int pick = r.nextInt(20);
        if (pick == 0) {
            return randomBytes(r, r.nextInt(512));
        }
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        return pick == 1 ? seed.clone() : mutate(seed, r);
    }
}
