package io.msixpool.commands.http;

import io.msixpool.commands.engine.CommandNotTaken;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.CommandReader;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.DeviceCommand;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** {@code POST /v1/commands[?dryRun=true]}: one command read, checked, then decided (or only tried). */
final class CommandEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CommandEndpoint.class);

    private final Engine engine;
    private final CommandReader reader;
    private final BusMetrics metrics;
    private final BusServer server;

    CommandEndpoint(Engine engine, CommandReader reader, BusMetrics metrics, BusServer server) {
        this.engine = engine;
        this.reader = reader;
        this.metrics = metrics;
        this.server = server;
    }

    /** @param caller the sender, whose token and role the routes checked */
    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder uri, Caller caller) {
        boolean dryRun;
        try {
            dryRun = flag(uri, "dryRun");
        } catch (BadRequest bad) {
            return Responses.error(response, ApiError.badRequest(bad.getMessage()));
        }
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
                        return Responses.unavailable(response, ApiError.unavailable("the server is shutting down; "
                                + "send the command to another node or again later"));
                    }
                    return dryRun
                            ? tryOnly(command).flatMap(outcome -> answer(response, outcome, outcome.toDryRunJsonLine()))
                            : decide(command, caller).flatMap(outcome -> answer(response, outcome, outcome.toJsonLine()));
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
                // Overload, a stop or the store unreachable: nothing was decided, so this is a 503 to retry.
                .onErrorResume(CommandNotTaken.class, notTaken ->
                        Responses.unavailable(response, ApiError.unavailable(notTaken.getMessage())))
                .onErrorResume(failure -> !(failure instanceof CommandBody.Refused), failure -> {
                    if (dryRun) {
                        return StoreReads.failed(response, failure); // a dry run records nothing: no unknown outcome
                    }
                    LOG.error("a command failed in the engine; its outcome is unknown", failure);
                    return Responses.error(response, ApiError.internal("the engine failed while deciding; the "
                            + "outcome is unknown: send the command again with the same commandId"));
                });
    }

    private static Mono<Void> answer(HttpServerResponse response, Outcome outcome, String json) {
        return Responses.json(response, outcome instanceof Outcome.Rejected ? 422 : 200, json);
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

    /** A dry run reads the device and decides on a draft of it: nothing is written, so no writer is needed. */
    private Mono<Outcome> tryOnly(DeviceCommand command) {
        return server.onWorker(() -> engine.dryRun().tryCommand(command)).doOnNext(metrics::triedOnly);
    }

    /** A boolean query parameter: absent is false; once, as {@code true} or {@code false}. */
    static boolean flag(QueryStringDecoder uri, String name) throws BadRequest {
        List<String> values = uri.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return false;
        }
        if (values.size() == 1 && (values.get(0).equals("true") || values.get(0).equals("false"))) {
            return values.get(0).equals("true");
        }
        throw new BadRequest(name + " must be given once, as true or false");
    }
}
