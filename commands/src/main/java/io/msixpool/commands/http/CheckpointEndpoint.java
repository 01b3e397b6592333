package io.msixpool.commands.http;

import io.msixpool.commands.engine.LogCheckpoints;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.Json;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /v1/checkpoint}, {@code /v1/proof/inclusion} and {@code /v1/proof/consistency}
 * (docs/http.md "Checkpoints and proofs"): the newest signed checkpoint this node knows, and RFC 9162
 * proofs over the leaves checkpoints cover (those of a newer checkpoint another node signed are
 * taken from the store first).
 */
final class CheckpointEndpoint {
    static final String NOTE = "text/plain";

    /** The JSON of an inclusion proof: leaf {@code index} of the tree of {@code size} leaves. */
    record InclusionProof(long index, long size, List<String> hashes) {
    }

    /** The JSON of a consistency proof: the tree of {@code from} leaves is a prefix of that of {@code to}. */
    record ConsistencyProof(long from, long to, List<String> hashes) {
    }

    private final Supplier<Optional<LogCheckpoints>> checkpoints;
    private final BusServer server;

    CheckpointEndpoint(Supplier<Optional<LogCheckpoints>> checkpoints, BusServer server) {
        this.checkpoints = checkpoints;
        this.server = server;
    }

    Mono<Void> newest(HttpServerResponse response) {
        Optional<LogCheckpoints> kept = checkpoints.get();
        return kept.isEmpty() ? notKept(response) : Responses.send(response, 200, NOTE, kept.get().newest().note());
    }

    Mono<Void> inclusion(QueryStringDecoder uri, HttpServerResponse response) {
        Optional<LogCheckpoints> kept = checkpoints.get();
        if (kept.isEmpty()) {
            return notKept(response);
        }
        long index;
        long size;
        try {
            index = required(uri, "index", 0, Long.MAX_VALUE - 1);
            size = required(uri, "size", index + 1, Long.MAX_VALUE);
        } catch (BadRequest bad) {
            return Responses.error(response, ApiError.badRequest(bad.getMessage()));
        }
        return answer(response, "size", size, kept.get(),
                () -> new InclusionProof(index, size, base64(kept.get().inclusionProof(index, size))));
    }

    Mono<Void> consistency(QueryStringDecoder uri, HttpServerResponse response) {
        Optional<LogCheckpoints> kept = checkpoints.get();
        if (kept.isEmpty()) {
            return notKept(response);
        }
        long from;
        long to;
        try {
            to = required(uri, "to", 1, Long.MAX_VALUE);
            from = required(uri, "from", 1, to);
        } catch (BadRequest bad) {
            return Responses.error(response, ApiError.badRequest(bad.getMessage()));
        }
        return answer(response, "to", to, kept.get(),
                () -> new ConsistencyProof(from, to, base64(kept.get().consistencyProof(from, to))));
    }

    /** The proof, once {@code size} (the parameter {@code name}) is found covered by the newest checkpoint. */
    private Mono<Void> answer(HttpServerResponse response, String name, long size, LogCheckpoints kept, Supplier<Object> proof) {
        return server.onWorker(() -> {
            long covered = kept.coveredSize(size);
            if (size > covered) {
                throw new BadRequest(name + " must be at most " + covered + ", the size of the newest checkpoint");
            }
            return Json.write(proof.get());
        }).flatMap(body -> Responses.json(response, 200, body)).onErrorResume(failure -> failure instanceof BadRequest bad
                ? Responses.error(response, ApiError.badRequest(bad.getMessage()))
                : StoreReads.failed(response, failure));
    }

    private static long required(QueryStringDecoder uri, String name, long min, long max) throws BadRequest {
        if (!uri.parameters().containsKey(name)) {
            throw new BadRequest(name + " is missing: give it as an integer from " + min + " to " + max);
        }
        return BusRoutes.parameter(uri, name, min, max, -1);
    }

    private static List<String> base64(List<byte[]> hashes) {
        return hashes.stream().map(Base64.getEncoder()::encodeToString).toList();
    }

    private static Mono<Void> notKept(HttpServerResponse response) {
        return Responses.unavailable(response, ApiError.unavailable("this server signs no checkpoints"));
    }
}
