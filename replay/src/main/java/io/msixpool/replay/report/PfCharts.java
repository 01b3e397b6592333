package io.msixpool.replay.report;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The two SVG pictures of one PF. Each draws its data in an inner {@code <svg>} whose user units
 * are the data's own (x: time columns, y: vectors or VF rows), stretched to the plot area, so the
 * paths hold small integers and a 400-PF report stays a few megabytes; axes and labels are drawn
 * around it in pixels.
 */
final class PfCharts {
    static final int WIDTH = 960;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int TOP = 12;
    private static final int CHART_HEIGHT = 170;
    private static final int BELOW = 34;
    static final int LEVELS = 8;

    private final Timeline timeline;
    private final int columns;

    PfCharts(Timeline timeline) {
        this.timeline = timeline;
        this.columns = Math.max(1, timeline.columnsUsed());
    }

    /** The free vectors over time: the lowest-to-highest band, the last value as a line, the total, marks. */
    void freeChart(StringBuilder out, PfSeries series) {
        int first = series.firstColumn();
        long low = 0;
        long high = Math.max(1, series.highestTotal());
        for (int c = first; c < columns; c++) {
            if (series.touched(c)) {
                low = Math.min(low, series.freeMin(c));
                high = Math.max(high, series.freeMax(c));
            }
        }
        out.append("<svg class=\"chart free\" width=\"").append(WIDTH).append("\" height=\"")
                .append(TOP + CHART_HEIGHT + BELOW).append("\" role=\"img\" aria-label=\"free vectors of ")
                .append(Html.escape(series.device + " / " + series.pf)).append(" over time\">");
        yAxis(out, low, high);
        xAxis(out, TOP + CHART_HEIGHT);
        out.append("<svg x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(PLOT_WIDTH)
                .append("\" height=\"").append(CHART_HEIGHT).append("\" viewBox=\"0 ").append(-high).append(' ')
                .append(columns).append(' ').append(high - low).append("\" preserveAspectRatio=\"none\">");
        StringBuilder band = new StringBuilder();
        StringBuilder line = new StringBuilder();
        int value = series.freeLast(first);
        line.append('M').append(first).append(' ').append(-(long) value);
        for (int c = first; c < columns; c++) {
            if (!series.touched(c)) {
                continue;
            }
            if (series.freeMin(c) < series.freeMax(c)) {
                band.append('M').append(c).append(' ').append(-(long) series.freeMax(c)).append("h1V")
                        .append(-(long) series.freeMin(c)).append("h-1z");
            }
            if (series.freeLast(c) != value) {
                value = series.freeLast(c);
                line.append('H').append(c).append('V').append(-(long) value);
            }
        }
        line.append('H').append(columns);
        out.append("<path class=\"area\" d=\"M").append(first).append(" 0V").append(line, line.indexOf(" ") + 1,
                line.length()).append("V0z\"/>");
        if (!band.isEmpty()) {
            out.append("<path class=\"band\" d=\"").append(band)
                    .append("\"><title>lowest to highest free in a time slice</title></path>");
        }
        out.append("<path class=\"total\" d=\"M0 ").append(-(long) series.msixTotal()).append('H').append(columns)
                .append("\"><title>total ").append(series.msixTotal()).append(" vectors</title></path>");
        out.append("<path class=\"line\" d=\"").append(line).append("\"><title>free vectors</title></path>");
        for (int i = 0; i < series.marks(); i++) {
            out.append("<path class=\"mark\" d=\"M").append(series.markColumn(i)).append(".5 ").append(-high)
                    .append('V').append(-low).append("\"><title>finding at position ").append(series.markPosition(i))
                    .append("</title></path>");
        }
        out.append("</svg>");
        out.append("<text class=\"total-label\" x=\"").append(LEFT + PLOT_WIDTH - 4).append("\" y=\"")
                .append(Math.max(TOP + 10, yPixel(series.msixTotal(), low, high) - 4)).append("\">total ")
                .append(series.msixTotal()).append("</text></svg>");
    }

    /** The vectors each VF row held over time, one colour level per range of vectors, and its legend. */
    void heatmap(StringBuilder out, PfSeries series) {
        if (series.rows == 0) {
            out.append("<p class=\"note\">No VFs: nothing to show per VF.</p>");
            return;
        }
        int rowHeight = Math.max(3, Math.min(14, 384 / series.rows));
        int height = series.rows * rowHeight;
        int first = series.firstColumn();
        int lastHeat = (columns - 1) >> 1;
        long highest = 0;
        boolean negative = false;
        for (int row = 0; row < series.rows; row++) {
            for (int h = first >> 1; h <= lastHeat; h++) {
                int held = series.held(row, h);
                highest = Math.max(highest, held);
                negative |= held < 0;
            }
        }
        Levels levels = new Levels(highest);
        StringBuilder[] paths = new StringBuilder[LEVELS + 2];
        for (int row = 0; row < series.rows; row++) {
            int runStart = first >> 1;
            int level = levels.of(series.held(row, runStart));
            for (int h = runStart + 1; h <= lastHeat + 1; h++) {
                int next = h > lastHeat ? -2 : levels.of(series.held(row, h));
                if (next != level) {
                    if (level != 0) {
                        int x0 = Math.max(2 * runStart, first);
                        int x1 = Math.min(2 * h, columns);
                        int slot = level < 0 ? LEVELS + 1 : level;
                        if (paths[slot] == null) {
                            paths[slot] = new StringBuilder();
                        }
                        paths[slot].append('M').append(x0).append(' ').append(row).append('H').append(x1)
                                .append("v1H").append(x0).append('z');
                    }
                    runStart = h;
                    level = next;
                }
            }
        }
        out.append("<svg class=\"chart heat\" width=\"").append(WIDTH).append("\" height=\"")
                .append(TOP + height + BELOW).append("\" role=\"img\" aria-label=\"vectors held by each VF of ")
                .append(Html.escape(series.device + " / " + series.pf)).append(" over time\">");
        rowLabels(out, series, rowHeight);
        xAxis(out, TOP + height);
        out.append("<svg x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(PLOT_WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(columns).append(' ')
                .append(series.rows).append("\" preserveAspectRatio=\"none\" shape-rendering=\"crispEdges\">")
                .append("<rect class=\"l0\" x=\"").append(first).append("\" y=\"0\" width=\"").append(columns - first)
                .append("\" height=\"").append(series.rows).append("\"/>");
        for (int slot = 1; slot < paths.length; slot++) {
            if (paths[slot] != null) {
                String range = slot > LEVELS ? "below 0" : levels.range(slot);
                out.append("<path class=\"").append(slot > LEVELS ? "lneg" : "l" + slot).append("\" d=\"")
                        .append(paths[slot]).append("\"><title>").append(range).append(" vectors</title></path>");
            }
        }
        out.append("</svg></svg>");
        out.append("<p class=\"legend\">Vectors held").append(series.groupSize > 1 ? " by each row (the sum of "
                + series.groupSize + " neighbouring VFs)" : " by each VF").append(", the most in each time slice: ");
        out.append("<span class=\"key\"><i class=\"l0\"></i>0</span>");
        for (int level = 1; level <= levels.count(); level++) {
            out.append("<span class=\"key\"><i class=\"l").append(level).append("\"></i>").append(levels.range(level))
                    .append("</span>");
        }
        if (negative) {
            out.append("<span class=\"key\"><i class=\"lneg\"></i>below 0</span>");
        }
        out.append("</p>");
    }

    private void yAxis(StringBuilder out, long low, long high) {
        long step = niceStep((high - low) / 4.0);
        out.append("<text class=\"axis-title\" x=\"4\" y=\"").append(TOP - 2).append("\">free vectors</text>");
        for (long v = Math.ceilDiv(low, step) * step; v <= high; v += step) {
            long y = yPixel(v, low, high);
            out.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_WIDTH)
                    .append("\" y1=\"").append(y).append("\" y2=\"").append(y).append("\"/><text class=\"tick\" x=\"")
                    .append(LEFT - 6).append("\" y=\"").append(y + 4).append("\" text-anchor=\"end\">").append(v)
                    .append("</text>");
        }
    }

    private static long yPixel(long value, long low, long high) {
        return TOP + Math.round((high - value) * (double) CHART_HEIGHT / (high - low));
    }

    private void rowLabels(StringBuilder out, PfSeries series, int rowHeight) {
        int every = 1;
        while (every * rowHeight < 12) {
            every *= 2;
        }
        for (int row = 0; row < series.rows; row += every) {
            int firstVf = row * series.groupSize;
            int lastVf = Math.min(series.vfCount, firstVf + series.groupSize) - 1;
            out.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(TOP + row * rowHeight + Math.min(rowHeight, 10)).append("\" text-anchor=\"end\">VF ")
                    .append(firstVf).append(lastVf > firstVf ? "-" + lastVf : "").append("</text>");
        }
    }

    /** The axis line at {@code y} and about six time labels under it, and the axis title. */
    private void xAxis(StringBuilder out, int y) {
        long span = columns * timeline.widthMillis();
        DateTimeFormatter format = DateTimeFormatter.ofPattern(span < 10_000 ? "HH:mm:ss.SSS"
                : span <= 86_400_000 ? "HH:mm:ss" : "yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
        out.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_WIDTH)
                .append("\" y1=\"").append(y).append("\" y2=\"").append(y).append("\"/>");
        int ticks = Math.min(5, columns);
        int previous = -1;
        for (int k = 0; k <= ticks; k++) {
            int column = (int) Math.round(k * (double) columns / ticks);
            if (column == previous) {
                continue;
            }
            previous = column;
            long x = LEFT + Math.round(column * (double) PLOT_WIDTH / columns);
            String anchor = k == 0 ? "start" : k == ticks ? "end" : "middle";
            out.append("<line class=\"axis\" x1=\"").append(x).append("\" x2=\"").append(x).append("\" y1=\"").append(y)
                    .append("\" y2=\"").append(y + 4).append("\"/><text class=\"tick\" x=\"").append(x).append("\" y=\"")
                    .append(y + 16).append("\" text-anchor=\"").append(anchor).append("\">")
                    .append(format.format(timeline.timeAt(column))).append("</text>");
        }
        out.append("<text class=\"axis-title\" x=\"").append(LEFT + PLOT_WIDTH / 2).append("\" y=\"").append(y + 30)
                .append("\" text-anchor=\"middle\">time (UTC), from ")
                .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
                        .format(timeline.timeAt(0))).append("</text>");
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static long niceStep(double rough) {
        long magnitude = 1;
        while (magnitude * 10 <= rough) {
            magnitude *= 10;
        }
        for (long factor : new long[] {1, 2, 5, 10}) {
            if (magnitude * factor >= rough) {
                return magnitude * factor;
            }
        }
        return magnitude * 10;
    }

    /** Vectors held 1..highest cut into at most {@link #LEVELS} equal ranges; 0 is level 0, below 0 is -1. */
    record Levels(long highest) {
        int count() {
            return (int) Math.min(LEVELS, highest);
        }

        int of(long held) {
            if (held <= 0) {
                return held == 0 ? 0 : -1;
            }
            return 1 + (int) ((held - 1) * count() / highest);
        }

        /** The lowest value of level {@code level}: the least v with (v - 1) * count / highest >= level - 1. */
        private long lowest(int level) {
            return Math.ceilDiv((level - 1) * highest, count()) + 1;
        }

        String range(int level) {
            long low = lowest(level);
            long high = level == count() ? highest : lowest(level + 1) - 1;
            return low == high ? Long.toString(low) : low + "\u2013" + high;
        }
    }
}
