package io.msixpool.commands.http;

import io.msixpool.commands.store.StoreOutage;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerResponse;

/** How the bus answers a read of the store that failed. */
final class StoreReads {
    private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(StoreReads.class), Duration.ofSeconds(1));

    private StoreReads() {
    }

    /**
     * A store read that failed: 503 when the store could not be reached (the client tries again),
     * else 500; JSON either way, and one log line, never a stack trace per request.
     */
    static Mono<Void> failed(HttpServerResponse response, Throwable failure) {
        if (failure instanceof AbortedException) {
            return Mono.empty(); // the client left
        }
        if (StoreOutage.nothingRecorded(failure)) {
            LOG.warn("a read found the store unreachable: " + StoreOutage.reason(failure));
            return Responses.unavailable(response, ApiError.unavailable("the store cannot be reached ("
                    + StoreOutage.reason(failure) + "); try again"));
        }
        LOG.warn("a store read failed: " + failure);
        return Responses.error(response, ApiError.internal("reading the store failed: " + failure.getMessage()));
    }
}
