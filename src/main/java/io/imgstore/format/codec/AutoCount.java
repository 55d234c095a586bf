package io.imgstore.format.codec;

/**
 * The value of a thread or encoder count system property: {@code auto} (chosen per chunk from the
 * frame size and the machine's cores) or a count of 0 or more. One parser for
 * {@link VideoChunkReader#THREADS_PROPERTY} and {@link VideoChunkWriter#PARALLEL_ENCODERS_PROPERTY}.
 */
final class AutoCount {

    /** The parsed value meaning {@code auto}. */
    static final int AUTO = -1;

    /** Frames of at least this many pixels get a second decoder thread or encoder when set to {@code auto} ({@link #secondThreadPays}). */
    static final long LARGE_FRAME_PIXELS = 1_000_000;

    private AutoCount() {
    }

    /**
     * {@code auto} as {@link #AUTO}, else the count.
     *
     * @throws IllegalArgumentException when the value is neither
     */
    static int parse(String property, String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + property + " must be 'auto' or a number >= 0, got '" + value + "'");
    }

    /**
     * Whether a second decoder thread or encoder pays for this frame size here: frames of
     * {@link #LARGE_FRAME_PIXELS} or more on a machine with two cores or more.
     */
    static boolean secondThreadPays(long width, long height) {
        return width * height >= LARGE_FRAME_PIXELS && Runtime.getRuntime().availableProcessors() >= 2;
    }
}
