package io.msixpool.replay.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's time axis, shared by every PF: {@link #COLUMNS} slices of equal width starting at
 * the first event's time. The log's time range is only known at its end, so the width starts at
 * one millisecond and doubles whenever an event falls past the last slice, each series merging its
 * slices pairwise; memory stays the same however long the log.
 *
 * <p>Columns never go back: an event stamped earlier than one before it (two nodes' clocks) is
 * drawn in the latest column, so each series only ever writes its latest slice.
 */
final class Timeline {
    static final int COLUMNS = 240;
    /** Doubling past this would make the width overflow; only a forged timestamp gets near it. */
    private static final int MAX_SHIFT = 56;

    /** A series that keeps one value per column and merges pairs of them when the width doubles. */
    interface Series {
        void halve();
    }

    private final List<Series> series = new ArrayList<>();
    private boolean started;
    private long startMillis;
    private int shift;
    private int lastColumn;

    void add(Series added) {
        series.add(added);
    }

    /** The column of an event recorded at {@code time} (null: the latest column), widening as needed. */
    int column(Instant time) {
        if (time == null) {
            return lastColumn;
        }
        long millis = time.toEpochMilli();
        if (!started) {
            started = true;
            startMillis = millis;
        }
        long offset = Math.max(0, millis - startMillis);
        while (shift < MAX_SHIFT && (offset >>> shift) >= COLUMNS) {
            widen();
        }
        int column = (int) Math.min(COLUMNS - 1, offset >>> shift);
        lastColumn = Math.max(lastColumn, column);
        return lastColumn;
    }

    private void widen() {
        shift++;
        lastColumn >>= 1;
        for (Series each : series) {
            each.halve();
        }
    }

    boolean started() {
        return started;
    }

    /** The columns in use: 0 to the latest event's. */
    int columnsUsed() {
        return lastColumn + 1;
    }

    long widthMillis() {
        return 1L << shift;
    }

    /** When column {@code column} begins. */
    Instant timeAt(int column) {
        return Instant.ofEpochMilli(startMillis + ((long) column << shift));
    }
}
