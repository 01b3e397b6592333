package io.msixpool.commands.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An SVG line chart of accepted commands per second against clients, one line per contender. */
public final class BenchPlot {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 130;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private BenchPlot() {
    }

    public static String svg(JsonNode results) {
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        List<Integer> clients = new ArrayList<>();
        double max = 1;
        for (JsonNode run : results.get("load")) {
            int count = run.get("clients").asInt();
            double rate = run.get("accepted").asInt() / run.get("seconds").asDouble();
            lines.computeIfAbsent(run.get("contender").asText(), name -> new ArrayList<>()).add(new double[] {count, rate});
            if (!clients.contains(count)) {
                clients.add(count);
            }
            max = Math.max(max, rate);
        }
        clients.sort(Integer::compare);
        double top = niceCeiling(max);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">accepted commands/s by clients "
                + "(%s store)</text>%n", LEFT, results.get("store").asText()));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, TOP, plotWidth, plotHeight));
        for (int tick = 0; tick <= 4; tick++) {
            double value = top * tick / 4;
            double y = TOP + plotHeight - plotHeight * tick / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n",
                    LEFT, LEFT + plotWidth, y, y, LEFT - 6, y + 4, value));
        }
        for (int i = 0; i < clients.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x(i, clients.size(), plotWidth), TOP + plotHeight + 18, clients.get(i)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">concurrent clients</text>%n",
                LEFT + plotWidth / 2, HEIGHT - 10));
        int colour = 0;
        for (Map.Entry<String, List<double[]>> line : lines.entrySet()) {
            String stroke = COLOURS[colour % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (double[] point : line.getValue()) {
                double px = x(clients.indexOf((int) point[0]), clients.size(), plotWidth);
                double py = TOP + plotHeight - plotHeight * point[1] / top;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, stroke));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    points.toString().trim(), stroke));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
                    LEFT + plotWidth + 12, TOP + 16 + 18 * colour, stroke, line.getKey()));
            colour++;
        }
        return svg.append("</svg>\n").toString();
    }

    /** Clients are plotted evenly spaced (1, 4, 16, 64 is a log scale already). */
    private static double x(int index, int count, int plotWidth) {
        return LEFT + (count == 1 ? plotWidth / 2.0 : plotWidth * (0.05 + 0.9 * index / (count - 1.0)));
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
