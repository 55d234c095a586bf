package io.imgstore.cli;

import io.imgstore.format.FrameTimes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the CLI prints frame times: plain decimals (never {@code 1.7E9}) and ISO-8601 dates. */
final class Times {

    private Times() {
    }

    /**
     * The library's frame-time text ({@link FrameTimes#format}: the shortest decimal that parses back
     * to exactly this double, without exponent, {@code 1700300166.2857847}), whole seconds without
     * the {@code .0}; {@code NaN}/{@code Infinity} as Java spells them.
     */
    static String plain(double seconds) {
        String s = FrameTimes.format(seconds);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** Seconds since the epoch as an ISO-8601 date-time with offset in {@code zone}, or "-" when not finite. */
    static String iso(double seconds, ZoneId zone) {
        if (!Double.isFinite(seconds)) {
            return "-";
        }
        BigDecimal bd = BigDecimal.valueOf(seconds);
        BigDecimal whole = bd.setScale(0, java.math.RoundingMode.FLOOR);
        long nanos = bd.subtract(whole).movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        Instant t = Instant.ofEpochSecond(whole.longValueExact(), nanos);
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone));
    }

    /** A frame time for people: {@code 2023-11-18T09:36:06.2857847+01:00 (1700300166.2857847)}. */
    static String both(double seconds, ZoneId zone) {
        return Double.isFinite(seconds) ? iso(seconds, zone) + " (" + plain(seconds) + ")" : "-";
    }
}
