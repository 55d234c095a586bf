package io.imgstore.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1.5s}, plain seconds ({@code 10}) or ISO ({@code PT10S}). */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double ms = switch (unit) {
                case "ms" -> n;
                case "m", "min" -> n * 60_000;
                case "h" -> n * 3_600_000;
                default -> n * 1000;
            };
            if (ms <= 0 || ms > Long.MAX_VALUE / 2.0) {
                throw new TypeConversionException("'" + value + "': the duration must be positive");
            }
            return Duration.ofMillis(Math.round(ms));
        }
        try {
            Duration d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException("'" + value + "': the duration must be positive");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (10s, 500ms, 2m, 1h)");
        }
    }
}
