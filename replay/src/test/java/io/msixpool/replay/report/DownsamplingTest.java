package io.msixpool.replay.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.domain.event.PfEvent;
import io.msixpool.domain.state.PfState;
import io.msixpool.replay.audit.AuditResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report keeps a long history in 240 time slices whose width doubles as the log grows: what
 * each slice holds must be what every event in it says, as if the width had been known from the
 * start; and the page stays small however many events there are.
 */
class DownsamplingTest {
    @TempDir
    Path dir;

    /** One event as the test saw it: when, the free count after it, and what each VF held after it. */
    private record Seen(long millis, int free, int[] held) {
    }

    @Test
    void everySliceHoldsTheLowestHighestAndLastFreeOfItsEvents() {
        checkAgainstEveryEvent(8);
    }

    @Test
    void aPfWithMoreThan128VfsSumsNeighbouringVfsIntoARow() {
        checkAgainstEveryEvent(300);
    }

    private void checkAgainstEveryEvent(int vfs) {
        HtmlReport report = new HtmlReport("fleet");
        List<Seen> seen = new ArrayList<>();
        new SyntheticFleet(11, 1, 1, vfs).run(20_000, 5_000, report, (millis, event, after) -> {
            PfState pf = after.pf(((PfEvent) event).pf());
            seen.add(new Seen(millis, pf.msixFree(), pf.vfs().stream().mapToInt(v -> v.msix()).toArray()));
        });
        Timeline timeline = report.timeline();
        PfSeries series = report.series(SyntheticFleet.device(0), SyntheticFleet.pf(0));
        long start = seen.getFirst().millis();
        long width = timeline.widthMillis();
        int columns = timeline.columnsUsed();

        long span = seen.getLast().millis() - start;
        assertEquals(span / width, columns - 1, "the last event is in the last column");
        assertTrue(columns <= Timeline.COLUMNS && span / (width / 2) >= Timeline.COLUMNS,
                "the width is the least that fits: " + width + " ms for " + span + " ms");
        assertEquals(Instant.ofEpochMilli(start), timeline.timeAt(0));

        int[] min = new int[columns];
        int[] max = new int[columns];
        int[] last = new int[columns];
        boolean[] touched = new boolean[columns];
        for (Seen event : seen) {
            int c = (int) ((event.millis() - start) / width);
            min[c] = touched[c] ? Math.min(min[c], event.free()) : event.free();
            max[c] = touched[c] ? Math.max(max[c], event.free()) : event.free();
            last[c] = event.free();
            touched[c] = true;
        }
        for (int c = 0; c < columns; c++) {
            assertEquals(touched[c], series.touched(c), "column " + c);
            if (touched[c]) {
                assertEquals(min[c], series.freeMin(c), "lowest free in column " + c);
                assertEquals(max[c], series.freeMax(c), "highest free in column " + c);
                assertEquals(last[c], series.freeLast(c), "last free in column " + c);
            }
        }

        assertEquals((vfs + 127) / 128, series.groupSize);
        int lastHeat = (columns - 1) >> 1;
        for (int row = 0; row < series.rows; row++) {
            int from = row * series.groupSize;
            int to = Math.min(vfs, from + series.groupSize);
            long[] most = new long[lastHeat + 1];
            long before = 0;
            int h = 0;
            most[0] = 0;
            for (Seen event : seen) {
                int eventHeat = (int) ((event.millis() - start) / width) >> 1;
                while (h < eventHeat) {
                    most[++h] = before;
                }
                long held = 0;
                for (int vf = from; vf < to; vf++) {
                    held += event.held()[vf];
                }
                most[h] = Math.max(most[h], held);
                before = held;
            }
            while (h < lastHeat) {
                most[++h] = before;
            }
            for (int column = 0; column <= lastHeat; column++) {
                assertEquals(most[column], series.held(row, column), "row " + row + ", heat column " + column);
            }
        }
    }

    @Test
    void anEventStampedBeforeTheOneBeforeItIsDrawnInTheLatestColumn() {
        Timeline timeline = new Timeline();
        Instant t0 = Instant.parse("2026-11-22T03:00:00.000Z");
        assertEquals(0, timeline.column(t0));
        assertEquals(200, timeline.column(t0.plusMillis(200)));
        assertEquals(200, timeline.column(t0.plusMillis(150)), "another node's clock, a little behind");
        assertEquals(1L, timeline.widthMillis());
        assertEquals(150, timeline.column(t0.plusMillis(600)), "600 ms in 4 ms slices");
        assertEquals(4L, timeline.widthMillis());
        assertEquals(150, timeline.column(null), "an event without a time: the latest column");
    }

    @Test
    void aBusyPfTakesAFewTensOfKilobytes() throws IOException {
        HtmlReport report = new HtmlReport("busy");
        new SyntheticFleet(3, 1, 1, 128).run(200_000, 2_000, report, null);
        Path file = dir.resolve("busy.html");
        report.write(file, new AuditResult(200_000, 200_000, 1, List.of()));

        String html = Files.readString(file);
        assertTrue(html.contains("widened to keep a busy PF's map small"), "the heatmap was widened");
        String section = html.substring(html.indexOf("<section class=\"pf\""));
        assertTrue(section.length() < 24_000, "one PF's section: " + section.length() + " characters");
    }

    @Test
    void fourHundredPfsTakeAFewMegabytes() throws IOException {
        HtmlReport report = new HtmlReport("fleet");
        new SyntheticFleet(5, 100, 4, 128).run(400_000, 2_000, report, null);
        Path file = dir.resolve("fleet.html");
        report.write(file, new AuditResult(400_000, 400_000, 100, List.of()));

        String html = Files.readString(file);
        assertEquals(400, html.split("<section class=\"pf\"", -1).length - 1, "a section per PF");
        assertTrue(Files.size(file) < 4_000_000, "400 PFs, 51,200 VFs, 400,000 events: " + Files.size(file) + " bytes");
    }
}
