package io.msixpool.commands.engine;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the log's newest checkpoint current on a thread of its own: a round every {@link #PERIOD},
 * so that on a quiet log the newest checkpoint covers every committed event within a round or two
 * (docs/event-log.md, "Checkpoints"); rounds follow each other at once while a long unsigned log
 * is being covered. A failing round (the store is down) is said once, and again when rounds work.
 */
final class Checkpointer implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final LogCheckpoints checkpoints;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(work -> {
        Thread named = new Thread(work, "msix-checkpointer");
        named.setDaemon(true);
        return named;
    });
    private boolean failing;

    Checkpointer(LogCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
        thread.scheduleWithFixedDelay(this::round, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            int covered;
            do {
                covered = checkpoints.advance();
                if (covered == LogCheckpoints.MAX_LEAVES_PER_ROUND) {
                    LOG.info("signing the log: the newest checkpoint covers {} events so far",
                            checkpoints.newest().checkpoint().size());
                }
            } while (covered == LogCheckpoints.MAX_LEAVES_PER_ROUND && !thread.isShutdown());
            if (failing) {
                failing = false;
                LOG.info("checkpoints are signed again; the newest covers {} events", checkpoints.newest().checkpoint().size());
            }
        } catch (RuntimeException failure) {
            if (!failing) {
                failing = true;
                LOG.warn("no checkpoint could be signed ({}); trying again every {} ms", failure.getMessage(), PERIOD.toMillis());
            }
        }
    }

    /** Stops after the round in progress, if any. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
