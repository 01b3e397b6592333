package io.msixpool.commands.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long read on standard error. Nothing is shown for a log read within a second; then
 * a bar redrawn in place at most four times a second on a terminal, or a plain line at every
 * tenth when standard error goes to a file, so that logs of CI runs stay readable.
 */
final class ProgressBar {
    private static final long QUIET_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String what;
    private final long total;
    /** The launcher says whether standard error is a terminal ([ -t 2 ]); Java alone can only tell for stdin and stdout. */
    private final boolean terminal = Boolean.getBoolean("msix.stderr.terminal");
    private final long started = System.nanoTime();
    private long lastDrawn;
    private int lastTenth;
    private boolean shown;

    /** @param total the characters to read, or -1 when unknown (then lines are counted instead) */
    ProgressBar(PrintWriter err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    void update(long lines, long chars) {
        long now = System.nanoTime();
        if (now - started < QUIET_NANOS) {
            return;
        }
        int tenth = total > 0 ? (int) Math.min(10, chars * 10 / total) : (int) (lines / 100_000);
        if (terminal ? now - lastDrawn < REDRAW_NANOS : tenth == lastTenth) {
            return;
        }
        lastDrawn = now;
        lastTenth = tenth;
        shown = true;
        String line = total > 0 ? bar(chars) + String.format(Locale.ROOT, " %,d lines", lines)
                : String.format(Locale.ROOT, "%s: %,d lines", what, lines);
        line += String.format(Locale.ROOT, ", %.1f s", (now - started) / 1e9);
        err.print(terminal ? "\r" + line + "   " : line + "\n");
        err.flush();
    }

    /** Ends the bar's line, if one was drawn, so that what follows starts on its own line. */
    void done() {
        if (shown && terminal) {
            err.println();
            err.flush();
        }
    }

    private String bar(long chars) {
        double share = Math.min(1.0, (double) chars / total);
        int filled = (int) Math.round(share * WIDTH);
        return String.format(Locale.ROOT, "%s %3d%% [%s%s]", what, Math.round(share * 100),
                "#".repeat(filled), " ".repeat(WIDTH - filled));
    }
}
