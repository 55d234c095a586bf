package io.imgstore.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one text form of a frame time (seconds since the epoch, a double) wherever one is written: the
 * service's {@code X-Frame-Time} headers, JSON (the read API, bulk records, live messages) and CSV,
 * and the CLI. A plain decimal, never an exponent, with the fewest significant
 * digits that parse back to exactly the same double, and at least one digit after the point:
 * {@code 1795964526.0282264}, {@code 1700000000.0}, {@code 0.0000001}.
 */
public final class FrameTimes {

    private FrameTimes() {
    }

    /**
     * The shortest plain decimal that parses back to {@code t}; {@code NaN}/{@code Infinity} as Java
     * writes them (callers that write JSON turn them into {@code null}).
     */
    public static String format(double t) {
        if (!Double.isFinite(t)) {
            return Double.toString(t);
        }
        // Double.toString round-trips; before Java 19 it may carry a digit more than needed
        BigDecimal b = new BigDecimal(Double.toString(t));
        if (b.precision() > 1) {
            BigDecimal exact = new BigDecimal(t);
            for (int p = b.precision() - 1; p >= 1; p--) {
                BigDecimal shorter = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
                if (shorter.doubleValue() != t) {
                    break;
                }
                b = shorter;
            }
        }
        b = b.stripTrailingZeros();
        if (b.scale() < 1) {
            b = b.setScale(1);
        }
        return b.toPlainString();
    }
}
