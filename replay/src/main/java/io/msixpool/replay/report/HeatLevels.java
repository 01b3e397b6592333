package io.msixpool.replay.report;

/**
 * The colours of a heatmap: 0 vectors, then 1 to {@code highest} cut into at most {@link #LEVELS}
 * equal ranges, and one more for a count below 0 (only a forged log has one).
 */
record HeatLevels(long highest, boolean negative) {
    static final int LEVELS = 8;
    /** Slot 0 for 0, 1 to LEVELS for the ranges, the last for below 0. */
    static final int SLOTS = LEVELS + 2;

    int count() {
        return (int) Math.min(LEVELS, highest);
    }

    /** The level of a count: 0, 1 to {@link #count()}, or -1 below 0. */
    int of(long held) {
        if (held <= 0) {
            return held == 0 ? 0 : -1;
        }
        return 1 + (int) ((held - 1) * count() / highest);
    }

    static int slot(int level) {
        return level < 0 ? SLOTS - 1 : level;
    }

    static String cssClass(int slot) {
        return slot == SLOTS - 1 ? "lneg" : "l" + slot;
    }

    /** The counts a slot stands for, such as {@code 9–16}. */
    String range(int slot) {
        if (slot == 0) {
            return "0";
        }
        if (slot == SLOTS - 1) {
            return "below 0";
        }
        long low = lowest(slot);
        long high = slot == count() ? highest : lowest(slot + 1) - 1;
        return low == high ? Long.toString(low) : low + "\u2013" + high;
    }

    /** The least v with (v - 1) * count / highest >= level - 1. */
    private long lowest(int level) {
        return Math.ceilDiv((level - 1) * highest, count()) + 1;
    }
}
