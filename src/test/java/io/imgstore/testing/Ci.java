package io.imgstore.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The one CI switch of the test suite: {@link #isCi()} is true iff the environment variable
 * {@code CI} equals {@code true} (case-insensitive), as .ci/run and common CI services set it.
 * Tests that need something from the machine (Chromium, python3-numpy/opencv, the reference
 * fixtures) call {@link #require} so that its absence skips the test locally and fails it in CI.
 */
public final class Ci {

    private Ci() {
    }

    /** True iff the environment variable {@code CI} equals {@code true}, ignoring case. */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Fails (in CI: {@code ciMessage}) or skips (elsewhere: {@code skipMessage}) the calling test
     * unless {@code present}.
     */
    public static void require(boolean present, String ciMessage, String skipMessage) {
        if (!present && isCi()) {
            fail(ciMessage);
        }
        Assumptions.assumeTrue(present, skipMessage);
    }
}
