package io.msixpool.replay.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/** Reads back the SVG paths the report writes: M, m, H, V, h, v and z with integer arguments. */
final class PathSteps {
    private static final Pattern TOKEN = Pattern.compile("([MmHhVvz])|(-?\\d+(?:\\.\\d+)?)");

    private PathSteps() {
    }

    /** Every point the path passes through, {x, y}, in order. */
    static List<int[]> decode(String path) {
        List<int[]> points = new ArrayList<>();
        walk(path, (command, x, y) -> points.add(new int[] {x, y}));
        return points;
    }

    /**
     * The heatmap's runs, {row, from, to}: each a move to (from, row) then a horizontal step to
     * (to, row).
     */
    static List<int[]> runs(String path) {
        List<int[]> runs = new ArrayList<>();
        int[] at = new int[2];
        walk(path, (command, x, y) -> {
            if (command == 'h' || command == 'H') {
                runs.add(new int[] {y, at[0], x});
            }
            at[0] = x;
            at[1] = y;
        });
        return runs;
    }

    private interface Visitor {
        void point(char command, int x, int y);
    }

    private static void walk(String path, Visitor visitor) {
        List<String> tokens = TOKEN.matcher(path).results().map(MatchResult::group).toList();
        int x = 0;
        int y = 0;
        for (int i = 0; i < tokens.size(); ) {
            char command = tokens.get(i++).charAt(0);
            switch (command) {
                case 'M' -> {
                    x = (int) Double.parseDouble(tokens.get(i++));
                    y = (int) Double.parseDouble(tokens.get(i++));
                }
                case 'm' -> {
                    x += Integer.parseInt(tokens.get(i++));
                    y += Integer.parseInt(tokens.get(i++));
                }
                case 'H' -> x = Integer.parseInt(tokens.get(i++));
                case 'V' -> y = Integer.parseInt(tokens.get(i++));
                case 'h' -> x += Integer.parseInt(tokens.get(i++));
                case 'v' -> y += Integer.parseInt(tokens.get(i++));
                case 'z' -> {
                    continue;
                }
                default -> throw new IllegalArgumentException("not a step: " + command + " in " + path);
            }
            visitor.point(command, x, y);
        }
    }
}
