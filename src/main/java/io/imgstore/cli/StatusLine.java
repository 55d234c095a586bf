package io.imgstore.cli;

import java.io.PrintWriter;
import java.util.function.LongFunction;

/**
 * A status line on standard error, throttled: rewritten in place ({@code \r}) every 200 ms when
 * standard error is a terminal, printed as a plain line every 5 seconds otherwise (logs, pipes).
 * What {@link Progress} and {@link TransferProgress} print their lines with. Not thread-safe.
 */
final class StatusLine {

    static final long TERMINAL_INTERVAL_NS = 200_000_000L;
    static final long PLAIN_INTERVAL_NS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final long interval;
    private final long started = System.nanoTime();
    private long lastPrinted = started;
    private boolean printedInPlace;

    StatusLine(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
        this.interval = terminal ? TERMINAL_INTERVAL_NS : PLAIN_INTERVAL_NS;
    }

    /** {@link System#nanoTime()} when the line was created. */
    long started() {
        return started;
    }

    /** Prints {@code line.apply(now)} when the interval has passed since the last print. */
    void maybePrint(LongFunction<String> line) {
        long now = System.nanoTime();
        if (now - lastPrinted < interval) {
            return;
        }
        lastPrinted = now;
        print(line.apply(now));
    }

    /**
     * Prints the final line (always on a terminal, otherwise when the work took at least one
     * interval) and ends a line rewritten in place.
     */
    void finish(LongFunction<String> line) {
        long now = System.nanoTime();
        if (terminal || now - started >= interval) {
            print(line.apply(now));
        }
        if (printedInPlace) {
            err.println();
            err.flush();
        }
    }

    private void print(String line) {
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            printedInPlace = true;
        } else {
            err.println(line);
        }
        err.flush();
    }
}
