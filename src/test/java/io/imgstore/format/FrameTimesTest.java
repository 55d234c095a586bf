package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameTimesTest {

    @Test
    void theIssuesHeaderValueIsPlain() {
        assertThat(FrameTimes.format(1.7959645260282264E9)).isEqualTo("1795964526.0282264");
    }

    @Test
    void shortestDigitsEvenWhereJava17sDoubleToStringGivesMore() {
        // Java 17 prints 2.82879384806159008E17 (JDK-4511638); 15 digits are enough
        double t = 2.82879384806159E17;
        assertThat(FrameTimes.format(t)).isEqualTo("282879384806159000.0");
        assertThat(Double.parseDouble(FrameTimes.format(t))).isEqualTo(t);
    }

    @Test
    void integralAndSmallValuesKeepAPointAndNoExponent() {
        assertThat(FrameTimes.format(1700000000.0)).isEqualTo("1700000000.0");
        assertThat(FrameTimes.format(1e20)).isEqualTo("100000000000000000000.0");
        assertThat(FrameTimes.format(0.5)).isEqualTo("0.5");
        assertThat(FrameTimes.format(-1.25e-8)).isEqualTo("-0.0000000125");
    }

    @Test
    void randomTimesRoundTripAndAreNoLongerThanJavasDigits() {
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            double t = i % 2 == 0 ? 1.7e9 + r.nextDouble() * 1e8 : Double.longBitsToDouble(r.nextLong());
            if (!Double.isFinite(t)) {
                continue;
            }
            String s = FrameTimes.format(t);
            assertThat(s).doesNotContain("E").contains(".");
            assertThat(Double.parseDouble(s)).isEqualTo(t);
            String digits = new java.math.BigDecimal(s).stripTrailingZeros().unscaledValue().abs().toString();
            String javas = new java.math.BigDecimal(Double.toString(t)).stripTrailingZeros().unscaledValue().abs().toString();
            assertThat(digits.length()).isLessThanOrEqualTo(javas.length());
        }
    }
}
