package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: how soon a watch feed's next view may follow its last. A fresh change of a device that
 * few watch goes at once; only views whose writes cost the machine much are spaced, by what they cost.
 * The times are given, never waited for.
 */
class ViewPacingTest {
    private static final long START = 1_000_000_000L;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aFreshChangeOfADeviceWithOneWatcherGoesAtOnceRightAfterTheLastView() {
        ViewPacing pacing = new ViewPacing(START);
        assertEquals(0, pacing.waitNanos(START), "the first view goes at once");
        pacing.sent(START, 2_000); // a view of 2 kB to one watcher
        assertEquals(0, pacing.waitNanos(START + MS), "a change a millisecond after a small view waits for nothing");
    }

    @Test
    void viewsThatCostMuchAreSpacedByWhatTheyCostThenTheNewestGoes() {
        ViewPacing pacing = new ViewPacing(START);
        long bytes = 500 * 20_000L; // a view of 20 kB to 500 watchers
        pacing.sent(START, bytes);
        long spacing = bytes * 1_000_000_000L / ViewPacing.BYTES_PER_SECOND;
        assertEquals(spacing - MS, pacing.waitNanos(START + MS), "the next view waits what the writes cost");
        assertEquals(0, pacing.waitNanos(START + spacing), "then it goes");
    }

    @Test
    void noViewWaitsLongerThanTheLongestSpacing() {
        ViewPacing pacing = new ViewPacing(START);
        pacing.sent(START, 5_000 * 9_000_000L); // the largest card's view to 5,000 watchers
        assertEquals(ViewPacing.LONGEST.toNanos(), pacing.waitNanos(START));
    }
}
