package io.msixpool.replay.report;

/**
 * The heat cells of one PF, {@code width} heat columns each (a power of two, so cells line up
 * with the time axis), and their colour levels.
 */
final class HeatCells {
    interface Run {
        void draw(int row, int from, int to, int level);
    }

    final PfSeries series;
    final int firstHeat;
    final int lastHeat;
    final int width;
    final HeatLevels levels;

    HeatCells(PfSeries series, int firstHeat, int lastHeat) {
        this(series, firstHeat, lastHeat, 1, levels(series, firstHeat, lastHeat));
    }

    private HeatCells(PfSeries series, int firstHeat, int lastHeat, int width, HeatLevels levels) {
        this.series = series;
        this.firstHeat = firstHeat;
        this.lastHeat = lastHeat;
        this.width = width;
        this.levels = levels;
    }

    private static HeatLevels levels(PfSeries series, int firstHeat, int lastHeat) {
        long highest = 0;
        long lowest = 0;
        for (int row = 0; row < series.rows; row++) {
            for (int h = firstHeat; h <= lastHeat; h++) {
                highest = Math.max(highest, series.held(row, h));
                lowest = Math.min(lowest, series.held(row, h));
            }
        }
        return new HeatLevels(highest, lowest < 0);
    }

    HeatCells wider() {
        return new HeatCells(series, firstHeat, lastHeat, width * 2, levels);
    }

    /** The level of the most held in cell {@code cell} of {@code row}. */
    private int level(int row, int cell) {
        int most = Integer.MIN_VALUE;
        for (int h = Math.max(firstHeat, cell * width); h <= Math.min(lastHeat, cell * width + width - 1); h++) {
            most = Math.max(most, series.held(row, h));
        }
        return levels.of(most);
    }

    /** Each run of cells of one level but 0 (the background), in heat columns. */
    void forEachRun(Run run) {
        int firstCell = firstHeat / width;
        int lastCell = lastHeat / width;
        for (int row = 0; row < series.rows; row++) {
            int start = firstCell;
            int level = level(row, start);
            for (int cell = start + 1; cell <= lastCell + 1; cell++) {
                int next = cell > lastCell ? Integer.MIN_VALUE : level(row, cell);
                if (next != level) {
                    if (level != 0) {
                        run.draw(row, start * width, cell * width, level);
                    }
                    start = cell;
                    level = next;
                }
            }
        }
    }

    int runs() {
        int[] runs = {0};
        forEachRun((row, from, to, level) -> runs[0]++);
        return runs[0];
    }
}
