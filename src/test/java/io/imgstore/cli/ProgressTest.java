package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void terminalShowsTheFinalLineInPlaceAndEndsIt() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), true, false, "extract", 10);
        p.update(3);
        p.finish(10);
        assertThat(err.toString()).startsWith("\r").contains("extract: 10/10 frames (100%").endsWith("\n")
                .doesNotContain("3/10"); // updates within 200 ms of the start are not printed
    }

    @Test
    void unknownTotalsCountFramesAndSeconds() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), true, false, "save", -1);
        p.finish(42);
        assertThat(err.toString()).contains("save: 42 frames (").contains("frames/s)");
    }

    @Test
    void quietAndShortPlainRunsPrintNothing() {
        StringWriter quiet = new StringWriter();
        new Progress(new PrintWriter(quiet), true, true, "x", 5).finish(5);
        assertThat(quiet.toString()).isEmpty();
        StringWriter plain = new StringWriter();
        Progress p = new Progress(new PrintWriter(plain), false, false, "x", 5);
        p.update(1);
        p.finish(5); // took less than the 5 s a plain line waits for
        assertThat(plain.toString()).isEmpty();
    }
}
