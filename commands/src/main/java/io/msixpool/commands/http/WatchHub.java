package io.msixpool.commands.http;

import io.msixpool.commands.engine.Engine;
import io.msixpool.projections.PoolAt;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The watch streams' feeds (docs/http.md, "Watches"): one {@link PoolFeed} per watched device, shared
 * by all its watchers, so that a change costs one read and one serialisation whatever the number of
 * watchers. A feed opens with its first watcher and closes with its last: an unwatched device costs nothing.
 */
final class WatchHub {
    private final Engine engine;
    private final Function<String, Mono<Optional<PoolAt>>> read;
    private final ConcurrentHashMap<String, PoolFeed> feeds = new ConcurrentHashMap<>();

    /** @param read reads a device's view from the store, off the event loop */
    WatchHub(Engine engine, Function<String, Mono<Optional<PoolAt>>> read) {
        this.engine = engine;
        this.read = read;
        engine.onCommitted(this::committed);
    }

    /** The device's feed, opened if nobody watched it; each join is followed by one {@link #leave}. */
    PoolFeed join(String device) {
        return feeds.compute(device, (key, feed) -> {
            PoolFeed joined = feed != null ? feed : new PoolFeed(engine, key, read);
            joined.watchers++;
            return joined;
        });
    }

    void leave(PoolFeed feed) {
        boolean[] last = {false};
        feeds.computeIfPresent(feed.device, (key, current) -> {
            last[0] = --current.watchers == 0;
            return last[0] ? null : current;
        });
        if (last[0]) {
            feed.close();
        }
    }

    /** Devices with an open feed, for tests that check a feed goes with its last watcher. */
    int openFeeds() {
        return feeds.size();
    }

    private void committed(String device, long sequence) {
        PoolFeed feed = feeds.get(device);
        if (feed != null) {
            feed.committed(sequence);
        }
    }
}
