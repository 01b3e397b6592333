package io.msixpool.commands.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One line per period at most, and how many were left out since: a client sending thousands of bad
 * requests a second must not fill the server's log (docs/http.md "Limits of a request").
 */
final class RateLimitedLog {
    private final Logger log;
    private final long periodNanos;
    private final AtomicLong nextAllowed = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, Duration period) {
        this.log = log;
        this.periodNanos = period.toNanos();
    }

    void warn(String line) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + periodNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        log.warn(left == 0 ? line : line + " (and " + left + " more like it not logged)");
    }
}
