package io.imgstore.cli;

import io.imgstore.format.storage.s3.StoreTransfer;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of {@code push} and {@code pull} on standard error, in files and bytes, printed with a
 * {@link StatusLine} like {@link Progress} (one line rewritten in place on a terminal, a plain line every 5 seconds
 * otherwise, nothing with {@code --quiet}). A dry run lists each file it would copy instead.
 * Thread-safe: the transfer calls it from its worker threads.
 */
final class TransferProgress implements StoreTransfer.Listener {

    private final PrintWriter out;
    private final StatusLine status;
    private final boolean quiet;
    private final boolean dryRun;
    private final String what;
    private int files;
    private long bytes;
    private int filesDone;
    private long bytesDone;

    TransferProgress(PrintWriter out, PrintWriter err, boolean terminal, boolean quiet, boolean dryRun, String what) {
        this.out = out;
        this.status = new StatusLine(err, terminal);
        this.quiet = quiet;
        this.dryRun = dryRun;
        this.what = what;
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
        if (!quiet && !dryRun) {
            status.maybePrint(this::line);
        }
    }

    synchronized void finish() {
        if (!quiet && !dryRun) {
            status.finish(this::line);
        }
    }

    private String line(long now) {
        double secs = Math.max(1e-9, (now - status.started()) / 1e9);
        return String.format(Locale.ROOT, "%s: %d/%d files, %s/%s (%.0f%%, %s/s)", what, filesDone, files,
                size(bytesDone), size(bytes), bytes == 0 ? 100.0 : 100.0 * bytesDone / bytes, size((long) (bytesDone / secs)));
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
