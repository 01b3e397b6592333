package io.msixpool.commands.http;

import java.time.Duration;

/**
 * How soon a watch feed's next view may follow its last (docs/http.md "Watches"). What a view costs
 * the machine is its writes, the view's bytes to each watcher, and a feed may spend at most
 * {@link #BYTES_PER_SECOND} on them: after views of B bytes in all, the next waits B /
 * {@link #BYTES_PER_SECOND}, and changes meanwhile coalesce into the newest. So a fresh change of a
 * device that a few clients watch goes at once (a 2 kB view to one watcher waits 30 microseconds),
 * while a busy card that 500 clients watch gets a view about every tenth of a second, which keeps
 * readers from taking the machine from the senders (docs/benchmarks.md, "Watchers"). A fixed spacing
 * (100 ms) made every change that came soon after a view wait, however little its view cost.
 */
final class ViewPacing {
    /**
     * 500 watchers of the watch bench's card (4 PFs x 128 VFs, a view of 17 kB) get a view about
     * every 100 ms: the fixed spacing at which that bench measured senders keeping 0.82 of their rate.
     */
    static final long BYTES_PER_SECOND = 80L << 20;
    /** However much views cost, watchers see the newest at least this often. */
    static final Duration LONGEST = Duration.ofSeconds(1);

    private long nextDue;

    ViewPacing(long now) {
        nextDue = now;
    }

    /** Nanoseconds from {@code now} until the next view may go: 0 to send it now. */
    synchronized long waitNanos(long now) {
        return Math.max(0, nextDue - now);
    }

    /** Views of {@code bytes} in all (a view's bytes times the watchers sent it) went at {@code now}. */
    synchronized void sent(long now, long bytes) {
        nextDue = now + (long) Math.min(LONGEST.toNanos(), bytes * 1e9 / BYTES_PER_SECOND);
    }
}
