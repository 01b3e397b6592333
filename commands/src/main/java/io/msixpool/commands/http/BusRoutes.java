package io.msixpool.commands.http;

import io.msixpool.commands.engine.CommandNotTaken;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.EventLog;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.CommandReader;
import io.msixpool.commands.wire.Json;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Shape;
import io.msixpool.domain.command.DeviceCommand;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** The bus's routes (docs/http.md): which path and method, which role, then the endpoint. */
final class BusRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(BusRoutes.class);
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
    private final WatchHub watches;

    BusRoutes(Engine engine, Tokens tokens, CommandReader reader, BusMetrics metrics, BusServer server) {
        this.engine = engine;
        this.tokens = tokens;
        this.reader = reader;
        this.metrics = metrics;
        this.server = server;
        this.watches = new WatchHub(engine, device -> blocking(() -> engine.poolAt(device)));
    }

    /** One endpoint: its method, whether only operators may call it, and what it does. */
    private record Route(String method, boolean operatorsOnly, String action,
                         BiFunction<HttpServerRequest, HttpServerResponse, Mono<Void>> endpoint) {
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
        if (path.equals("/healthz")) {
            if (request.method().name().equals("GET")) {
                return health(response);
            }
            response.header(HttpHeaderNames.ALLOW, "GET");
            return Responses.error(response, ApiError.methodNotAllowed(request.method().name(), path, "GET"));
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
        if (route.operatorsOnly() && !caller.get().role().maySendCommands()) {
            return Responses.error(response, ApiError.forbidden(caller.get(), route.action()));
        }
        return route.endpoint().apply(request, response);
    }

    private Route routeOf(String path, QueryStringDecoder uri) {
        if (path.equals("/v1/commands")) {
            return new Route("POST", true, "send commands", this::command);
        }
        if (path.equals("/v1/events")) {
            return new Route("GET", false, "read events", (request, response) -> events(uri, response));
        }
        if (path.equals("/metrics")) {
            return new Route("GET", false, "read metrics",
                    (request, response) -> Responses.send(response, 200, "text/plain; version=0.0.4", metrics.scrape()));
        }
        Matcher pool = POOL.matcher(path);
        if (pool.matches()) {
            return new Route("GET", false, "read pools", onDevice(pool.group(1), this::pool));
        }
        Matcher watch = WATCH.matcher(path);
        if (watch.matches()) {
            return new Route("GET", false, "watch pools", onDevice(watch.group(1), this::watch));
        }
        return null;
    }

    /** An endpoint of one device, whose id is checked (400) after the method, token and role. */
    private static BiFunction<HttpServerRequest, HttpServerResponse, Mono<Void>> onDevice(
            String device, BiFunction<String, HttpServerResponse, Mono<Void>> endpoint) {
        return (request, response) -> {
            String notAnId = Shape.whyNotId("device", device);
            return notAnId != null
                    ? Responses.error(response, ApiError.badRequest(notAnId))
                    : endpoint.apply(device, response);
        };
    }

    private static String bearerToken(HttpServerRequest request) {
        String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    private Mono<Void> health(HttpServerResponse response) {
        return blocking(engine::storeAnswers).flatMap(answers -> answers
                ? Responses.json(response, 200, "{\"ok\":true}")
                : Responses.error(response, ApiError.unavailable("the store does not answer")));
    }

    // ---- POST /v1/commands

    private Mono<Void> command(HttpServerRequest request, HttpServerResponse response) {
        Caller caller = tokens.authenticate(bearerToken(request)).orElseThrow();
        return CommandBody.read(request)
                .flatMap(text -> {
                    DeviceCommand command;
                    try {
                        command = reader.read(text);
                    } catch (BadRequest bad) {
                        metrics.badRequest();
                        return Responses.error(response, ApiError.badRequest(bad.getMessage()));
                    }
                    if (server.draining()) {
                        return Responses.error(response, ApiError.unavailable("the server is shutting down; "
                                + "send the command to another node or again later"));
                    }
                    return decide(command, caller).flatMap(outcome -> Responses.json(
                            response, outcome instanceof Outcome.Rejected ? 422 : 200, outcome.toJsonLine()));
                })
                .onErrorResume(CommandBody.Refused.class, refused -> {
                    if (refused.error.status() == 408
                            || (refused.error.status() == 413 && !CommandBody.worthDraining(request))) {
                        response.keepAlive(false); // the rest of the body is not read: close after answering
                    }
                    return Responses.error(response, refused.error);
                })
                // The client left (mid-body, or before its answer): nobody to answer, and no engine failure.
                .onErrorResume(AbortedException.class, gone -> Mono.empty())
                // Overload or a stop: nothing was decided, so this is no unknown outcome but a 503 to retry.
                .onErrorResume(CommandNotTaken.class, notTaken -> {
                    response.header("Retry-After", "1");
                    return Responses.error(response, ApiError.unavailable(notTaken.getMessage()));
                })
                .onErrorResume(failure -> !(failure instanceof CommandBody.Refused), failure -> {
                    LOG.error("a command failed in the engine; its outcome is unknown", failure);
                    return Responses.error(response, ApiError.internal("the engine failed while deciding; the "
                            + "outcome is unknown: send the command again with the same commandId"));
                });
    }

    /**
     * Decides to the end once started: the engine's group-commit writer completes the decision
     * whatever becomes of the request, so a client leaving cancels only the wait for the answer
     * (the Mono here), never the command halfway.
     */
    private Mono<Outcome> decide(DeviceCommand command, Caller caller) {
        long start = System.nanoTime();
        CompletableFuture<Outcome> decision = server.tracked(engine.submitGrouped(command, caller.name())
                .whenComplete((outcome, failure) -> {
                    if (outcome != null) {
                        metrics.decided(outcome, Duration.ofNanos(System.nanoTime() - start));
                    }
                }));
        return Mono.fromFuture(decision, true);
    }

    // ---- GET /v1/devices/{device}/pool and /pool/watch

    private Mono<Void> pool(String device, HttpServerResponse response) {
        return blocking(() -> engine.pool(device)).flatMap(view -> view.isPresent()
                ? Responses.json(response, 200, Json.write(view.get()))
                : Responses.error(response, ApiError.unknownDevice(device)));
    }

    private Mono<Void> watch(String device, HttpServerResponse response) {
        // The device's feed, shared by its watchers: each view is read and serialised once for all of them.
        return Mono.usingWhen(Mono.fromSupplier(() -> watches.join(device)),
                feed -> feed.ready().flatMap(known -> known
                        ? watch(feed, response)
                        : Responses.error(response, ApiError.unknownDevice(device))),
                feed -> Mono.fromRunnable(() -> watches.leave(feed)));
    }

    private Mono<Void> watch(PoolFeed feed, HttpServerResponse response) {
        metrics.watchOpened();
        // A slow reader never holds up the feed: it takes every frame as it comes, and only the newest
        // waits for the client (a reference to the frame all watchers share, never a copy).
        Flux<ByteBuf> views = feed.frames().onBackpressureLatest().map(PoolFeed.Frame::content);
        Flux<ByteBuf> heartbeats = Flux.interval(HEARTBEAT).map(tick -> PoolFeed.heartbeat()).onBackpressureDrop();
        Flux<ByteBuf> stream = Flux.merge(1, views, heartbeats)
                .takeUntilOther(server.stopping().then(Mono.just(true)))
                .doFinally(signal -> metrics.watchClosed());
        // The next frame goes to the connection only while it takes output: a reader that falls
        // behind holds back the stream, and only the newest view waits for it (onBackpressureLatest).
        // Without this, send would take frames 128 ahead into Netty's buffer whatever the reader does.
        Writability writability = writability(response);
        Flux<ByteBuf> paced = stream.concatMap(frame -> writability.whenWritable().thenReturn(frame), 0);
        return response.sse().send(paced).then();
    }

    int watchedDevices() {
        return watches.openFeeds();
    }

    private static Writability writability(HttpServerResponse response) {
        Writability[] writability = new Writability[1];
        response.withConnection(connection -> writability[0] = Writability.of(connection));
        return writability[0];
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
        }).flatMap(lines -> Responses.send(response, 200, Responses.JSON_LINES, lines));
    }

    private static long parameter(QueryStringDecoder uri, String name, long min, long max, long absent) throws BadRequest {
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
        return Mono.fromFuture(server.tracked(Mono.fromCallable(read).subscribeOn(server.workers())).toFuture(), true);
    }
}
