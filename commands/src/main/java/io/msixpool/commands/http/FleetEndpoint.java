package io.msixpool.commands.http;

import io.msixpool.commands.engine.FleetFollower;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.Json;
import io.msixpool.projections.fleet.Fleet;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /v1/pools}, {@code /v1/pools/watch} and {@code /v1/placements} (docs/http.md "Fleet"):
 * answered from the engine's fleet in memory, once it shows every command this node has answered.
 */
final class FleetEndpoint {
    /** The longest a read waits for the fleet to show this node's own commits; then 503, try again. */
    static final Duration CATCH_UP = Duration.ofSeconds(5);

    /** The fleet fell behind this node's commits for longer than {@link #CATCH_UP} (the store stalls). */
    private static final class Behind extends RuntimeException {
        Behind() {
            super(null, null, false, false);
        }
    }

    private final FleetFollower follower;
    private final BusServer server;
    private final FleetFeed feed;

    FleetEndpoint(FleetFollower follower, BusServer server, BusMetrics metrics) {
        this.follower = follower;
        this.server = server;
        this.feed = new FleetFeed(follower, server, metrics);
    }

    Mono<Void> pools(QueryStringDecoder uri, HttpServerResponse response) {
        FleetQuery query;
        try {
            query = FleetQuery.pools(uri, true);
        } catch (BadRequest bad) {
            return Responses.error(response, ApiError.badRequest(bad.getMessage()));
        }
        return answer(response, () -> follower.fleet().page(query.filter(), query.after(), query.limit()));
    }

    Mono<Void> placements(QueryStringDecoder uri, HttpServerResponse response) {
        FleetQuery query;
        try {
            query = FleetQuery.placements(uri);
        } catch (BadRequest bad) {
            return Responses.error(response, ApiError.badRequest(bad.getMessage()));
        }
        return answer(response, () -> new Fleet.Placements(
                follower.fleet().placements(query.filter().emulation(), query.msix(), query.limit())));
    }

    Mono<Void> watch(QueryStringDecoder uri, HttpServerResponse response) {
        FleetQuery query;
        try {
            query = FleetQuery.pools(uri, false);
        } catch (BadRequest bad) {
            return Responses.error(response, ApiError.badRequest(bad.getMessage()));
        }
        return current().then(Mono.defer(() -> feed.watch(query.filter(), response)))
                .onErrorResume(failure -> failed(response, failure));
    }

    /** Open fleet watch streams' shared feed, for tests that check it closes with its last watcher. */
    boolean feedOpen() {
        return feed.open();
    }

    /** The answer, read once the fleet shows every command this node has answered (a worker waits, never the event loop). */
    private Mono<Void> answer(HttpServerResponse response, Supplier<Object> read) {
        return server.onWorker(() -> {
            awaitCurrent();
            return Json.write(read.get());
        }).flatMap(body -> Responses.json(response, 200, body)).onErrorResume(failure -> failed(response, failure));
    }

    private Mono<Boolean> current() {
        return server.onWorker(() -> {
            awaitCurrent();
            return true;
        });
    }

    private void awaitCurrent() throws InterruptedException {
        if (!follower.showsCommitsOfThisNode(CATCH_UP)) {
            throw new Behind();
        }
    }

    private static Mono<Void> failed(HttpServerResponse response, Throwable failure) {
        return failure instanceof Behind
                ? Responses.unavailable(response, ApiError.unavailable("the fleet does not show this node's latest "
                        + "commands yet (the store is slow to answer); try again"))
                : StoreReads.failed(response, failure);
    }
}
