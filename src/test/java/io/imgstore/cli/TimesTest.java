package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimesTest {

    @Test
    void plainDecimalsRoundTripWithoutExponent() {
        for (double d : new double[] {1.7959645260282264E9, 1700300166.2857847, 0.1, 100.0, 1e-7, 1e21, 0.0, -3.5,
                Math.nextUp(1.7e9), 1.7e9 + 1 / 3.0}) {
            String s = Times.plain(d);
            assertThat(s).doesNotContainIgnoringCase("e");
            assertThat(Double.parseDouble(s)).isEqualTo(d);
        }
        assertThat(Times.plain(1.7959645260282264E9)).isEqualTo("1795964526.0282264");
        assertThat(Times.plain(1700300166.2857847)).isEqualTo("1700300166.2857847");
    }

    @Test
    void isoDatesInTheStoresZone() {
        assertThat(Times.iso(1700300166.25, ZoneOffset.UTC)).isEqualTo("2023-11-18T09:36:06.25Z");
        assertThat(Times.iso(1700300166.25, ZoneId.of("Europe/Berlin"))).isEqualTo("2023-11-18T10:36:06.25+01:00");
        assertThat(Times.both(1700300166.0, ZoneOffset.UTC)).isEqualTo("2023-11-18T09:36:06Z (1700300166)");
        assertThat(Times.iso(-0.5, ZoneOffset.UTC)).isEqualTo("1969-12-31T23:59:59.5Z");
    }

    @Test
    void rangesAndDurationsParse() {
        assertThat(FrameRange.parse("17")).isEqualTo(new FrameRange(17L, 17L, true));
        assertThat(FrameRange.parse("100..200")).isEqualTo(new FrameRange(100L, 200L, false));
        assertThat(FrameRange.parse("100..")).isEqualTo(new FrameRange(100L, null, false));
        assertThat(FrameRange.parse("..9")).isEqualTo(new FrameRange(null, 9L, false));
        for (String bad : new String[] {"..", "5..3", "a..b", "1-2", "99999999999999999999"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameRange.parse(bad))
                    .isInstanceOf(picocli.CommandLine.TypeConversionException.class);
        }
        DurationConverter d = new DurationConverter();
        assertThat(d.convert("10s").toMillis()).isEqualTo(10_000);
        assertThat(d.convert("500ms").toMillis()).isEqualTo(500);
        assertThat(d.convert("2m").toMillis()).isEqualTo(120_000);
        assertThat(d.convert("1.5").toMillis()).isEqualTo(1500);
        assertThat(d.convert("PT1H").toMillis()).isEqualTo(3_600_000);
        assertThat(SaveCommand.withoutCredentials("rtsp://user:pw@cam:554/x")).isEqualTo("rtsp://cam:554/x");
    }
}
