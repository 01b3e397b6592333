package io.msixpool.commands.http;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.wire.CommandReader;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * {@code msix serve}: the HTTP bus (docs/http.md) on Reactor Netty in front of one {@link Engine}.
 *
 * <p>Event-loop threads only parse and write. A command read in full is handed to the engine's
 * group commit ({@link Engine#submitGrouped}), whose writer threads decide it, and is decided to the
 * end even if its client leaves (the answer is dropped, the client resends with its commandId).
 * Reading the store blocks (a pool, a watch's first view, events, health), so reads run on
 * {@link #workers}, detached from their request: a client leaving never interrupts one.
 *
 * <p>{@link #close()} is the graceful stop for SIGTERM and SIGINT: no new connections, watch streams end,
 * commands already received are decided and answered, then the engine closes.
 */
public final class BusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BusServer.class);
    /** Worker threads reading the store for requests; more than the store's connections gains nothing. */
    static final int WORKERS = 16;
    /** Reads waiting for a worker at most, a bound on memory under overload: a read beyond it fails at once. */
    static final int QUEUED_READS = 10_000;
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Slow clients: {@code head} is the longest a request's head (request line and headers) may take
     * from its first byte, {@code read} the longest pause between two reads of its body, {@code request}
     * the longest its body may take in all, {@code idle} the longest a
     * connection may wait for its next request. Tests shorten them; {@code msix serve} uses {@link #DEFAULT}.
     */
    record Timeouts(Duration head, Duration read, Duration request, Duration idle) {
        static final Timeouts DEFAULT = new Timeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(120));
    }

    private final Engine engine;
    private final Scheduler workers = Schedulers.newBoundedElastic(WORKERS, QUEUED_READS, "msix-worker", 60, true);
    private final Sinks.Empty<Void> stopping = Sinks.empty();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** A graceful dispose waits for the requests of these channels to finish. */
    private final ChannelGroup connections = new DefaultChannelGroup(new DefaultEventExecutor());
    private final HealthCheck health;
    private final DisposableServer server;
    private final BusRoutes routes;
    private volatile boolean draining;

    private BusServer(Engine engine, Tokens tokens, String host, int port, Timeouts timeouts, ConnectionGate.Limits limits,
                      Optional<ServerTls> tls) {
        this.engine = engine;
        this.health = new HealthCheck(engine);
        ConnectionGate gate = new ConnectionGate(limits);
        this.routes = new BusRoutes(engine, tokens, new CommandReader(), new BusMetrics(
                () -> engine.fleet() == null ? Map.of() : engine.fleet().fleet().totals()), this);
        HttpServer plain = HttpServer.create();
        this.server = tls.map(secure -> secure.applyTo(plain)).orElse(plain)
                .host(host)
                .port(port)
                .channelGroup(connections)
                // Slow clients: a request whose bytes stop coming, or that takes too long in all,
                // is cut off instead of holding a connection forever.
                .doOnChannelInit((observer, channel, remote) -> {
                    gate.admit(channel);
                    HeadTimeout.install(channel, timeouts.head());
                    CodecRefusals.install(channel);
                })
                .readTimeout(timeouts.read())
                .requestTimeout(timeouts.request())
                .idleTimeout(timeouts.idle())
                .httpRequestDecoder(spec -> spec.maxInitialLineLength(CodecRefusals.MAX_LINE).maxHeaderSize(CodecRefusals.MAX_HEADERS))
                .handle(routes::handle)
                .bindNow(Duration.ofSeconds(10));
    }

    public static BusServer start(Engine engine, Tokens tokens, String host, int port) {
        return start(engine, tokens, host, port, defaultMaxConnections(), Optional.empty());
    }

    /**
     * Over HTTPS when {@code tls} is given, plain HTTP when not, with at most {@code maxConnections}
     * connections served at once (docs/http.md "Connections").
     */
    public static BusServer start(Engine engine, Tokens tokens, String host, int port, int maxConnections,
                                  Optional<ServerTls> tls) {
        return start(engine, tokens, host, port, Timeouts.DEFAULT,
                new ConnectionGate.Limits(maxConnections, ConnectionGate.Limits.UNAUTHENTICATED), tls);
    }

    static BusServer start(Engine engine, Tokens tokens, String host, int port, Timeouts timeouts,
                           ConnectionGate.Limits limits, Optional<ServerTls> tls) {
        return new BusServer(engine, tokens, host, port, timeouts, limits, tls);
    }

    /** The connection limit {@code msix serve} takes without {@code --max-connections}. */
    public static int defaultMaxConnections() {
        return ConnectionGate.Limits.defaultMaxConnections();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    /** Blocks until the server was closed. */
    public void awaitClose() {
        server.onDispose().block();
    }

    Scheduler workers() {
        return workers;
    }

    HealthCheck health() {
        return health;
    }

    boolean draining() {
        return draining;
    }

    /** Open client connections, for tests that wait until the server let go of a client. */
    int openConnections() {
        return connections.size();
    }

    /** Devices with an open watch feed, for tests that check a feed goes with its last watcher. */
    int watchedDevices() {
        return routes.watchedDevices();
    }

    /** Whether the fleet watches' shared feed is open (it is while anyone watches the fleet). */
    boolean fleetWatched() {
        return routes.fleetWatched();
    }

    /** Commands being decided and store reads running, for tests that wait until the server is idle. */
    int inFlight() {
        return inFlight.get();
    }

    /** Completes when the server begins to stop: watch streams end with it. */
    Mono<Void> stopping() {
        return stopping.asMono();
    }

    /** Counts {@code work} as in flight until it completes, so that closing waits for it. */
    <T> CompletableFuture<T> tracked(CompletableFuture<T> work) {
        inFlight.incrementAndGet();
        return work.whenComplete((result, failure) -> inFlight.decrementAndGet());
    }

    /** A blocking store read on a worker, counted as in flight and detached, so that a client leaving never interrupts one. */
    <T> Mono<T> onWorker(java.util.concurrent.Callable<T> read) {
        return Mono.fromFuture(tracked(Mono.fromCallable(read).subscribeOn(workers).toFuture()), true);
    }

    /** Runs {@code work} counted as in flight, so that closing waits for it. */
    <T> Mono<T> tracked(Mono<T> work) {
        return Mono.defer(() -> {
            inFlight.incrementAndGet();
            return work.doFinally(signal -> inFlight.decrementAndGet());
        });
    }

    @Override
    public synchronized void close() {
        if (draining) {
            return;
        }
        draining = true;
        stopping.tryEmitEmpty();
        try {
            server.disposeNow(DRAIN_TIMEOUT);
        } catch (IllegalStateException connectionsLeft) {
            // Requests still open after the drain time: the decisions in flight are still waited for
            // below and the engine is closed after them, instead of this hook dying with the exception.
            LOG.warn("requests still open {} s after the stop began; stopping without them", DRAIN_TIMEOUT.toSeconds());
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.dispose();
        health.close();
        engine.close();
    }
}
