package io.msixpool.replay.report;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The SVG picture of one PF: its free vectors over time on top, the vectors held by each VF (a
 * heatmap) under it, both on one time axis. Each plot draws its data in an inner {@code <svg>}
 * whose user units are the data's own (x: time columns, y: vectors or VF rows), stretched to the
 * plot area, and its paths move by relative steps, so they hold small integers: 400 PFs make a few
 * megabytes. The heatmap's x unit is its own column (two of the chart's); a run of one colour is
 * a horizontal stroke one row thick.
 */
final class PfCharts {
    static final int WIDTH = 960;
    private static final int LEFT = 64;
    private static final int PLOT_WIDTH = WIDTH - LEFT - 16;
    private static final int TOP = 16;
    private static final int CHART_HEIGHT = 160;
    private static final int GAP = 30;
    private static final int BELOW = 34;
    /** Runs of one colour a heatmap may take, about 8 bytes each. */
    static final int MAX_RUNS = 1200;

    private final Timeline timeline;
    private final int columns;
    private final DateTimeFormatter tickFormat;

    PfCharts(Timeline timeline) {
        this.timeline = timeline;
        this.columns = Math.max(1, timeline.columnsUsed());
        long span = columns * timeline.widthMillis();
        this.tickFormat = DateTimeFormatter.ofPattern(span < 10_000 ? "HH:mm:ss.SSS"
                : span <= 86_400_000 ? "HH:mm:ss" : "yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    }

    /** The picture and the heatmap's legend. */
    void draw(StringBuilder out, PfSeries series) {
        int rowHeight = series.rows == 0 ? 0 : Math.max(3, Math.min(14, 384 / series.rows));
        int heatTop = TOP + CHART_HEIGHT + GAP;
        int bottom = series.rows == 0 ? TOP + CHART_HEIGHT : heatTop + series.rows * rowHeight;
        out.append("<svg class=\"chart\" width=\"").append(WIDTH).append("\" height=\"").append(bottom + BELOW)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(series.device + " / " + series.pf))
                .append(" over time\">");
        xAxis(out, bottom);
        freeChart(out, series);
        HeatCells heat = null;
        if (series.rows > 0) {
            out.append("<text x=\"4\" y=\"").append(heatTop - 12).append("\">vectors held per VF</text>");
            rowLabels(out, series, heatTop, rowHeight);
            heat = heatmap(out, series, heatTop, rowHeight);
        }
        out.append("</svg>\n");
        legend(out, series, heat);
    }

    private void freeChart(StringBuilder out, PfSeries series) {
        int first = series.firstColumn();
        long low = 0;
        long high = Math.max(1, series.highestTotal());
        boolean band = false;
        for (int c = first; c < columns; c++) {
            if (series.touched(c)) {
                low = Math.min(low, series.freeMin(c));
                high = Math.max(high, series.freeMax(c));
                band |= series.freeMin(c) < series.freeMax(c);
            }
        }
        yAxis(out, low, high);
        out.append("<svg x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(PLOT_WIDTH)
                .append("\" height=\"").append(CHART_HEIGHT).append("\" viewBox=\"0 ").append(-high).append(' ')
                .append(columns).append(' ').append(high - low).append("\" preserveAspectRatio=\"none\">");
        out.append("<path class=\"total\" d=\"M0 ").append(-(long) series.msixTotal()).append('H').append(columns)
                .append("\"><title>total ").append(series.msixTotal()).append(" vectors</title></path>");
        // One path is both the line (its stroke) and the area under it (its fill, closed along 0).
        Steps line = Steps.vectors(first, 0);
        line.to(first, series.freeLast(first));
        for (int c = first; c < columns; c++) {
            if (series.touched(c)) {
                line.to(c, series.freeLast(c));
            }
        }
        line.to(columns, line.y()).to(columns, 0);
        out.append("<path class=\"free\" d=\"").append(line.path()).append("\"><title>free vectors</title></path>");
        Steps strandedLine = Steps.vectors(first, series.strandedLast(first));
        for (int c = first; c < columns; c++) {
            if (series.touched(c)) {
                strandedLine.to(c, series.strandedLast(c));
            }
        }
        strandedLine.to(columns, strandedLine.y());
        out.append("<path class=\"stranded\" d=\"").append(strandedLine.path()).append("\"><title>stranded vectors:"
                + " held by VFs whose controller is not open</title></path>");
        if (band) {
            out.append("<path class=\"band\" d=\"").append(band(series)).append("\"><title>lowest to highest free"
                    + " in a time slice</title></path>");
        }
        for (int i = 0; i < series.marks(); i++) {
            out.append("<path class=\"mark\" d=\"M").append(series.markColumn(i)).append(".5 ").append(-high)
                    .append('V').append(-low).append("\"><title>finding at position ").append(series.markPosition(i))
                    .append("</title></path>");
        }
        out.append("</svg><text class=\"e total-label\" x=\"").append(LEFT + PLOT_WIDTH - 4).append("\" y=\"")
                .append(Math.max(TOP + 10, yPixel(series.msixTotal(), low, high) - 4)).append("\">total ")
                .append(series.msixTotal()).append("</text>");
    }

    /** The highest free of each slice left to right, then the lowest right to left. */
    private StringBuilder band(PfSeries series) {
        int first = series.firstColumn();
        int[] carried = new int[columns];
        for (int c = first; c < columns; c++) {
            carried[c] = series.touched(c) || c == first ? series.freeLast(c) : carried[c - 1];
        }
        Steps band = Steps.vectors(first, series.freeMax(first));
        for (int c = first; c < columns; c++) {
            band.to(c, series.touched(c) ? series.freeMax(c) : carried[c]);
        }
        band.to(columns, band.y());
        for (int c = columns - 1; c >= first; c--) {
            int lowest = series.touched(c) ? series.freeMin(c) : carried[c];
            band.to(c + 1, lowest).to(c, lowest);
        }
        return band.path().append('z');
    }

    /**
     * The heatmap. A busy PF's cells are widened (two heat columns each, then four...) until it
     * takes at most {@link #MAX_RUNS} runs of one colour, which bounds its size whatever the log.
     */
    private HeatCells heatmap(StringBuilder out, PfSeries series, int top, int rowHeight) {
        HeatCells heat = new HeatCells(series, series.firstColumn() >> 1, (columns - 1) >> 1);
        while (heat.runs() > MAX_RUNS && heat.width < PfSeries.HEAT_COLUMNS) {
            heat = heat.wider();
        }
        Steps[] paths = new Steps[HeatLevels.SLOTS];
        heat.forEachRun((row, from, to, level) -> {
            int slot = HeatLevels.slot(level);
            if (paths[slot] == null) {
                paths[slot] = Steps.rows(from, row);
            } else {
                paths[slot].moveTo(from, row);
            }
            paths[slot].to(to, row);
        });
        out.append("<svg class=\"heat\" x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"")
                .append(PLOT_WIDTH).append("\" height=\"").append(series.rows * rowHeight).append("\" viewBox=\"0 0 ")
                .append(half(columns)).append(' ').append(series.rows).append("\" preserveAspectRatio=\"none\">")
                .append("<rect class=\"l0\" x=\"").append(half(series.firstColumn())).append("\" y=\"0\" width=\"")
                .append(half(columns - series.firstColumn())).append("\" height=\"").append(series.rows)
                .append("\"/><g transform=\"translate(0 .5)\">");
        for (int slot = 1; slot < paths.length; slot++) {
            if (paths[slot] != null) {
                out.append("<path class=\"").append(HeatLevels.cssClass(slot)).append("\" d=\"")
                        .append(paths[slot].path()).append("\"><title>").append(heat.levels.range(slot))
                        .append(" vectors</title></path>");
            }
        }
        out.append("</g></svg>");
        return heat;
    }

    /** Chart columns in heat columns (two each): the heatmap's x unit. */
    private static String half(int chartColumns) {
        return (chartColumns >> 1) + ((chartColumns & 1) == 0 ? "" : ".5");
    }

    private void legend(StringBuilder out, PfSeries series, HeatCells heat) {
        if (heat == null) {
            out.append("<p class=\"legend\">No VFs: nothing is held per VF.</p>\n");
            return;
        }
        HeatLevels levels = heat.levels;
        out.append("<p class=\"legend\">Vectors held").append(series.groupSize > 1 ? " by each row (the sum of "
                + series.groupSize + " neighbouring VFs)" : " by each VF").append(", the most in each cell (")
                .append(Html.duration(2L * heat.width * timeline.widthMillis()))
                .append(heat.width == 1 ? "" : ", widened to keep a busy PF's map small").append("):");
        for (int slot = 0; slot < HeatLevels.SLOTS; slot++) {
            if (slot <= levels.count() || slot == HeatLevels.SLOTS - 1 && levels.negative()) {
                out.append(" <span class=\"key\"><i class=\"").append(HeatLevels.cssClass(slot)).append("\"></i>")
                        .append(levels.range(slot)).append("</span>");
            }
        }
        out.append("</p>\n");
    }

    private void yAxis(StringBuilder out, long low, long high) {
        long step = niceStep((high - low) / 4.0);
        out.append("<text x=\"4\" y=\"").append(TOP - 5).append("\">free vectors (line and area); stranded vectors"
                + " (dashed)</text>");
        StringBuilder grid = new StringBuilder();
        for (long v = Math.ceilDiv(low, step) * step; v <= high; v += step) {
            long y = yPixel(v, low, high);
            grid.append('M').append(LEFT).append(' ').append(y).append('h').append(PLOT_WIDTH);
            out.append("<text class=\"e\" x=\"").append(LEFT - 6).append("\" y=\"").append(y + 4).append("\">")
                    .append(v).append("</text>");
        }
        out.append("<path class=\"grid\" d=\"").append(grid).append("\"/>");
    }

    private static long yPixel(long value, long low, long high) {
        return TOP + Math.round((high - value) * (double) CHART_HEIGHT / (high - low));
    }

    private static void rowLabels(StringBuilder out, PfSeries series, int top, int rowHeight) {
        int every = 1;
        while (every * rowHeight < (series.rows <= 16 ? 12 : 24)) {
            every *= 2;
        }
        for (int row = 0; row < series.rows; row += every) {
            int firstVf = row * series.groupSize;
            int lastVf = Math.min(series.vfCount, firstVf + series.groupSize) - 1;
            out.append("<text class=\"e\" x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(top + row * rowHeight + rowHeight / 2 + 4).append("\">VF ").append(firstVf)
                    .append(lastVf > firstVf ? "-" + lastVf : "").append("</text>");
        }
    }

    /** About six times under the plots, a light line up through both at each, and the axis title. */
    private void xAxis(StringBuilder out, int y) {
        StringBuilder lines = new StringBuilder().append('M').append(LEFT).append(' ').append(y).append('h')
                .append(PLOT_WIDTH);
        int ticks = Math.min(5, columns);
        int previous = -1;
        for (int k = 0; k <= ticks; k++) {
            int column = (int) Math.round(k * (double) columns / ticks);
            if (column == previous) {
                continue;
            }
            previous = column;
            long x = LEFT + Math.round(column * (double) PLOT_WIDTH / columns);
            lines.append('M').append(x).append(' ').append(TOP).append('V').append(y + 4);
            out.append("<text class=\"").append(k == 0 ? "s" : k == ticks ? "e" : "m").append("\" x=\"").append(x)
                    .append("\" y=\"").append(y + 16).append("\">").append(tickFormat.format(timeline.timeAt(column)))
                    .append("</text>");
        }
        out.append("<path class=\"axis\" d=\"").append(lines).append("\"/><text class=\"m\" x=\"")
                .append(LEFT + PLOT_WIDTH / 2).append("\" y=\"").append(y + 30).append("\">time (UTC), from ")
                .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
                        .format(timeline.timeAt(0))).append("</text>");
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static long niceStep(double rough) {
        long magnitude = 1;
        while (magnitude * 10 <= rough) {
            magnitude *= 10;
        }
        for (long factor : new long[] {1, 2, 5}) {
            if (magnitude * factor >= rough) {
                return magnitude * factor;
            }
        }
        return magnitude * 10;
    }
}
