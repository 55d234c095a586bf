package io.imgstore.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An inclusive range of frame numbers or indexes from the command line: {@code 17}, {@code 100..200},
 * {@code 100..} (to the end) or {@code ..99} (from the start).
 *
 * @param first first value, or null for "from the start"
 * @param last  last value (inclusive), or null for "to the end"
 * @param single whether it was written as one value
 */
record FrameRange(Long first, Long last, boolean single) {

    private static final Pattern RANGE = Pattern.compile("(-?\\d+)?\\.\\.(-?\\d+)?");

    /** Picocli converter. */
    static final class Converter implements ITypeConverter<FrameRange> {
        @Override
        public FrameRange convert(String value) {
            return parse(value);
        }
    }

    static FrameRange parse(String s) {
        String v = s.trim();
        try {
            if (v.matches("-?\\d+")) {
                long n = Long.parseLong(v);
                return new FrameRange(n, n, true);
            }
            Matcher m = RANGE.matcher(v);
            if (m.matches() && (m.group(1) != null || m.group(2) != null)) {
                Long a = m.group(1) == null ? null : Long.parseLong(m.group(1));
                Long b = m.group(2) == null ? null : Long.parseLong(m.group(2));
                if (a != null && b != null && a > b) {
                    throw new TypeConversionException("'" + s + "': the first value is after the last");
                }
                return new FrameRange(a, b, false);
            }
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + s + "': number out of range");
        }
        throw new TypeConversionException("'" + s + "' is not N, A..B, A.. or ..B");
    }

    long firstOr(long dflt) {
        return first == null ? dflt : first;
    }

    long lastOr(long dflt) {
        return last == null ? dflt : last;
    }

    @Override
    public String toString() {
        return single ? String.valueOf(first) : (first == null ? "" : first) + ".." + (last == null ? "" : last);
    }
}
