package io.imgstore.cli;

import io.imgstore.format.storage.s3.StoreTransfer;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of {@code push} and {@code pull} on standard error, in files and bytes, printed like
 * {@link Progress} (one line rewritten in place on a terminal, a plain line every 5 seconds
 * otherwise, nothing with {@code --quiet}). A dry run lists each file it would copy instead.
 * Thread-safe: the transfer calls it from its worker threads.
 */
final class TransferProgress implements StoreTransfer.Listener {

    private final PrintWriter err;
    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private final boolean dryRun;
    private final String what;
    private final long interval;
    private final long started = System.nanoTime();
    private long lastPrinted = started;
    private boolean printedInPlace;
    private int files;
    private long bytes;
    private int filesDone;
    private long bytesDone;

    TransferProgress(PrintWriter out, PrintWriter err, boolean terminal, boolean quiet, boolean dryRun, String what) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
        this.dryRun = dryRun;
        this.what = what;
        this.interval = terminal ? Progress.TERMINAL_INTERVAL_NS : Progress.PLAIN_INTERVAL_NS;
    }

    static TransferProgress of(PrintWriter out, PrintWriter err, boolean quiet, boolean dryRun, String what) {
        return new TransferProgress(out, err, System.console() != null, quiet, dryRun, what);
    }

    @Override
    public synchronized void planned(int files, long bytes) {
        this.files = files;
        this.bytes = bytes;
    }

    @Override
    public synchronized void bytes(long n) {
        bytesDone += n;
        maybePrint();
    }

    @Override
    public synchronized void file(String relative, long size, StoreTransfer.Action action) {
        filesDone++;
        if (action == StoreTransfer.Action.WOULD_COPY) {
            out.printf("would %s %s (%d bytes)%n", what, relative, size);
            out.flush();
        }
        maybePrint();
    }

    private void maybePrint() {
        long now = System.nanoTime();
        if (quiet || dryRun || now - lastPrinted < interval) {
            return;
        }
        lastPrinted = now;
        print(now);
    }

    synchronized void finish() {
        if (quiet || dryRun) {
            return;
        }
        long now = System.nanoTime();
        if (terminal || now - started >= interval) {
            print(now);
        }
        if (printedInPlace) {
            err.println();
            err.flush();
        }
    }

    private void print(long now) {
        double secs = Math.max(1e-9, (now - started) / 1e9);
        String line = String.format(Locale.ROOT, "%s: %d/%d files, %s/%s (%.0f%%, %s/s)", what, filesDone, files,
                size(bytesDone), size(bytes), bytes == 0 ? 100.0 : 100.0 * bytesDone / bytes, size((long) (bytesDone / secs)));
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            printedInPlace = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Bytes for people: B, KiB, MiB, GiB, TiB. */
    static String size(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
