package io.imgstore.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long command on standard error: one line rewritten in place ({@code \r}) when
 * standard error is a terminal, a plain line every few seconds otherwise (logs, pipes), nothing
 * with {@code --quiet}.
 */
final class Progress {

    private final StatusLine status;
    private final boolean quiet;
    private final String what;
    private final long total;

    /**
     * @param total the number of steps, or a negative number when unknown (live sources)
     */
    Progress(PrintWriter err, boolean terminal, boolean quiet, String what, long total) {
        this.status = new StatusLine(err, terminal);
        this.quiet = quiet;
        this.what = what;
        this.total = total;
    }

    /** For a command: terminal when the JVM has a console (stdin and stdout attached to one). */
    static Progress of(PrintWriter err, boolean quiet, String what, long total) {
        return new Progress(err, System.console() != null, quiet, what, total);
    }

    /** Reports that {@code done} steps are complete; prints only when the interval has passed. */
    void update(long done) {
        if (!quiet) {
            status.maybePrint(now -> line(done, now));
        }
    }

    /** Prints the final state and ends the in-place line. */
    void finish(long done) {
        if (!quiet) {
            status.finish(now -> line(done, now));
        }
    }

    private String line(long done, long now) {
        double secs = Math.max(1e-9, (now - status.started()) / 1e9);
        return total >= 0
                ? String.format(Locale.ROOT, "%s: %d/%d frames (%.0f%%, %.1f frames/s)", what, done, total,
                        total == 0 ? 100.0 : 100.0 * done / total, done / secs)
                : String.format(Locale.ROOT, "%s: %d frames (%.1f s, %.1f frames/s)", what, done, secs, done / secs);
    }
}
