package io.imgstore.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long command on standard error: one line rewritten in place ({@code \r}) when
 * standard error is a terminal, a plain line every few seconds otherwise (logs, pipes), nothing
 * with {@code --quiet}.
 */
final class Progress {

    static final long TERMINAL_INTERVAL_NS = 200_000_000L;
    static final long PLAIN_INTERVAL_NS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    private final String what;
    private final long total;
    private final long started = System.nanoTime();
    private final long interval;
    private long lastPrinted;
    private boolean printedInPlace;

    /**
     * @param total the number of steps, or a negative number when unknown (live sources)
     */
    Progress(PrintWriter err, boolean terminal, boolean quiet, String what, long total) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
        this.what = what;
        this.total = total;
        this.interval = terminal ? TERMINAL_INTERVAL_NS : PLAIN_INTERVAL_NS;
        this.lastPrinted = started;
    }

    /** For a command: terminal when the JVM has a console (stdin and stdout attached to one). */
    static Progress of(PrintWriter err, boolean quiet, String what, long total) {
        return new Progress(err, System.console() != null, quiet, what, total);
    }

    /** Reports that {@code done} steps are complete; prints only when the interval has passed. */
    void update(long done) {
        long now = System.nanoTime();
        if (quiet || now - lastPrinted < interval) {
            return;
        }
        lastPrinted = now;
        print(done, now);
    }

    /** Prints the final state and ends the in-place line. */
    void finish(long done) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (terminal || now - started >= interval) {
            print(done, now);
        }
        if (printedInPlace) {
            err.println();
            err.flush();
        }
    }

    private void print(long done, long now) {
        double secs = Math.max(1e-9, (now - started) / 1e9);
        String line = total >= 0
                ? String.format(Locale.ROOT, "%s: %d/%d frames (%.0f%%, %.1f frames/s)", what, done, total,
                        total == 0 ? 100.0 : 100.0 * done / total, done / secs)
                : String.format(Locale.ROOT, "%s: %d frames (%.1f s, %.1f frames/s)", what, done, secs, done / secs);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            printedInPlace = true;
        } else {
            err.println(line);
        }
        err.flush();
    }
}
