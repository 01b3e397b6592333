package io.msixpool.commands.http;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.EventLog;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.CommandReader;
import io.msixpool.commands.wire.Json;
import io.msixpool.domain.Shape;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** The bus's routes (docs/http.md): which path and method, which role, then the endpoint. */
final class BusRoutes {
    private static final Pattern POOL = Pattern.compile("/v1/devices/([^/]+)/pool");
    private static final Pattern WATCH = Pattern.compile("/v1/devices/([^/]+)/pool/watch");
    static final int DEFAULT_EVENTS = 1_000;
    static final int MAX_EVENTS = 10_000;
    /** A comment line on idle watch streams, so proxies and clients can tell a quiet pool from a dead link. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final Engine engine;
    private final Tokens tokens;
    private final CommandReader reader;
    private final BusMetrics metrics;
    private final BusServer server;
    private final CommandEndpoint commands;
    private final String openApi = OpenApiDocument.text();
    private final WatchHub watches;
    private final FleetEndpoint fleet;
    private final CheckpointEndpoint checkpoints;

    BusRoutes(Engine engine, Tokens tokens, CommandReader reader, BusMetrics metrics, BusServer server) {
        this.engine = engine;
        this.tokens = tokens;
        this.reader = reader;
        this.metrics = metrics;
        this.server = server;
        this.commands = new CommandEndpoint(engine, reader, metrics, server);
        this.watches = new WatchHub(engine, device -> blocking(() -> engine.poolAt(device)));
        this.fleet = new FleetEndpoint(engine.fleet(), server, metrics);
        this.checkpoints = new CheckpointEndpoint(engine::checkpoints, server);
    }

    /** What an endpoint does for a caller whose token and role were checked. */
    @FunctionalInterface
    private interface Endpoint {
        Mono<Void> serve(HttpServerRequest request, HttpServerResponse response, Caller caller);
    }

    /** One endpoint: its method, whether only operators may call it, and what it does. */
    private record Route(String method, boolean operatorsOnly, String action, Endpoint endpoint) {
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path;
        try {
            // Netty decodes lazily and throws on a malformed percent-escape: decode all of it here, so
            // that a client's bad URL is its 400, not a closed connection and a server stack trace.
            path = uri.path();
            uri.parameters();
        } catch (IllegalArgumentException malformed) {
            return Responses.error(response, ApiError.badRequest("the URL is malformed: a '%' must be followed by"
                    + " two hexadecimal digits (" + malformed.getMessage() + ")"));
        }
        if (ConnectionGate.overLimit(request)) {
            // Beyond the connection limit: one answer, then the connection closes (health as usual).
            response.keepAlive(false);
            if (!path.equals("/healthz")) {
                return Responses.unavailable(response, ApiError.unavailable("too many connections are open; "
                        + "try again, or reuse a kept-alive connection"));
            }
        }
        if (path.equals("/healthz") || path.equals(OpenApiDocument.PATH)) {
            if (!request.method().name().equals("GET")) {
                response.header(HttpHeaderNames.ALLOW, "GET");
                return Responses.error(response, ApiError.methodNotAllowed(request.method().name(), path, "GET"));
            }
            return path.equals("/healthz") ? health(response) : Responses.send(response, 200, Responses.JSON, openApi);
        }
        Route route = routeOf(path, uri);
        if (route == null) {
            return Responses.error(response, ApiError.notFound(path));
        }
        if (!request.method().name().equals(route.method())) {
            response.header(HttpHeaderNames.ALLOW, route.method());
            return Responses.error(response, ApiError.methodNotAllowed(request.method().name(), path, route.method()));
        }
        Optional<Caller> caller = tokens.authenticate(bearerToken(request));
        if (caller.isEmpty()) {
            return Responses.error(response, ApiError.unauthorized());
        }
        ConnectionGate.authenticated(request);
        if (route.operatorsOnly() && !caller.get().role().maySendCommands()) {
            return Responses.error(response, ApiError.forbidden(caller.get(), route.action()));
        }
        return route.endpoint().serve(request, response, caller.get());
    }

    private Route routeOf(String path, QueryStringDecoder uri) {
        if (path.equals("/v1/commands")) {
            return new Route("POST", true, "send commands", (request, response, caller) -> commands.handle(request, response, uri, caller));
        }
        if (path.equals("/v1/events")) {
            return new Route("GET", false, "read events", (request, response, caller) -> events(uri, response));
        }
        if (path.equals("/v1/pools")) {
            return new Route("GET", false, "read pools", (request, response, caller) -> fleet.pools(uri, response));
        }
        if (path.equals("/v1/pools/watch")) {
            return new Route("GET", false, "watch pools", (request, response, caller) -> fleet.watch(uri, response));
        }
        if (path.equals("/v1/placements")) {
            return new Route("GET", false, "read pools", (request, response, caller) -> fleet.placements(uri, response));
        }
        if (path.equals("/v1/checkpoint")) {
            return new Route("GET", false, "read checkpoints", (request, response, caller) -> checkpoints.newest(response));
        }
        if (path.equals("/v1/proof/inclusion")) {
            return new Route("GET", false, "read checkpoints", (request, response, caller) -> checkpoints.inclusion(uri, response));
        }
        if (path.equals("/v1/proof/consistency")) {
            return new Route("GET", false, "read checkpoints", (request, response, caller) -> checkpoints.consistency(uri, response));
        }
        if (path.equals("/metrics")) {
            return new Route("GET", false, "read metrics",
                    (request, response, caller) -> Responses.send(response, 200, "text/plain; version=0.0.4", metrics.scrape()));
        }
        // Segments are matched before they are decoded: /v1/devices/a%2Fb/pool names the device "a/b"
        // (an invalid id: 400), not a path of more segments (404).
        Matcher pool = POOL.matcher(uri.rawPath());
        if (pool.matches()) {
            return new Route("GET", false, "read pools", onDevice(decoded(pool.group(1)), this::pool));
        }
        Matcher watch = WATCH.matcher(uri.rawPath());
        if (watch.matches()) {
            return new Route("GET", false, "watch pools", onDevice(decoded(watch.group(1)), this::watch));
        }
        return null;
    }

    /** A path segment decoded; the whole URL was decoded once already, so a malformed escape is not met here. */
    private static String decoded(String segment) {
        return QueryStringDecoder.decodeComponent(segment);
    }

    /** An endpoint of one device, whose id is checked (400) after the method, token and role. */
    private static Endpoint onDevice(String device, BiFunction<String, HttpServerResponse, Mono<Void>> endpoint) {
        return (request, response, caller) -> {
            String notAnId = Shape.whyNotId("device", device);
            return notAnId != null
                    ? Responses.error(response, ApiError.badRequest(notAnId))
                    : endpoint.apply(device, response);
        };
    }

    private Mono<Void> health(HttpServerResponse response) {
        return server.health().storeAnswers().flatMap(answers -> answers
                ? Responses.json(response, 200, "{\"ok\":true}")
                : Responses.unavailable(response, ApiError.unavailable("the store does not answer")));
    }

    // ---- GET /v1/devices/{device}/pool and /pool/watch

    private Mono<Void> pool(String device, HttpServerResponse response) {
        return blocking(() -> engine.pool(device)).flatMap(view -> view.isPresent()
                ? Responses.json(response, 200, Json.write(view.get()))
                : Responses.error(response, ApiError.unknownDevice(device)))
                .onErrorResume(failure -> StoreReads.failed(response, failure));
    }

    private Mono<Void> watch(String device, HttpServerResponse response) {
        // The device's feed, shared by its watchers: each view is read and serialised once for all of them.
        return Mono.usingWhen(Mono.fromSupplier(() -> watches.join(device)),
                feed -> feed.ready()
                        .onErrorResume(failure -> StoreReads.failed(response, failure).then(Mono.empty()))
                        .flatMap(known -> known
                                ? watch(feed, response)
                                : Responses.error(response, ApiError.unknownDevice(device))),
                feed -> Mono.fromRunnable(() -> watches.leave(feed)));
    }

    private Mono<Void> watch(PoolFeed feed, HttpServerResponse response) {
        // A slow reader never holds up the feed: it takes every frame as it comes, and only the newest
        // waits for the client (a reference to the frame all watchers share, never a copy).
        return EventStreams.send(response, feed.frames().onBackpressureLatest().map(PoolFeed.Frame::content),
                server, metrics);
    }

    int watchedDevices() {
        return watches.openFeeds();
    }

    boolean fleetWatched() {
        return fleet.feedOpen();
    }

    // ---- GET /v1/events?after=N&limit=M

    private Mono<Void> events(QueryStringDecoder uri, HttpServerResponse response) {
        long after;
        int limit;
        try {
            after = parameter(uri, "after", 0, Long.MAX_VALUE, 0);
            limit = (int) parameter(uri, "limit", 1, MAX_EVENTS, DEFAULT_EVENTS);
        } catch (BadRequest bad) {
            return Responses.error(response, ApiError.badRequest(bad.getMessage()));
        }
        return blocking(() -> {
            try (var lines = EventLog.lines(engine, after)) {
                return lines.limit(limit).map(line -> line + "\n").collect(Collectors.joining());
            }
        }).flatMap(lines -> Responses.send(response, 200, Responses.JSON_LINES, lines))
                .onErrorResume(failure -> StoreReads.failed(response, failure));
    }

    static long parameter(QueryStringDecoder uri, String name, long min, long max, long absent) throws BadRequest {
        List<String> values = uri.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return absent;
        }
        try {
            long value = Long.parseLong(values.get(0));
            if (value >= min && value <= max && values.size() == 1) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new BadRequest(name + " must be one integer from " + min + " to " + max);
    }

    /** Store reads block: on a worker, detached so that a client leaving never interrupts one. */
    private <T> Mono<T> blocking(Callable<T> read) {
        return server.onWorker(read);
    }

    private static String bearerToken(HttpServerRequest request) {
        String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
