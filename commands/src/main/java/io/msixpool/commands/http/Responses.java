package io.msixpool.commands.http;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/** Writing whole answers: the status, the content type and the body, in one place. */
final class Responses {
    static final String JSON = "application/json";
    static final String JSON_LINES = "application/x-ndjson";

    private Responses() {
    }

    static Mono<Void> json(HttpServerResponse response, int status, String body) {
        return send(response, status, JSON, body + "\n");
    }

    static Mono<Void> error(HttpServerResponse response, ApiError error) {
        if (error.status() == 401) {
            response.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        return json(response, error.status(), error.toJson());
    }

    /** A 503: nothing was done, and {@code Retry-After} says when to try again. */
    static Mono<Void> unavailable(HttpServerResponse response, ApiError error) {
        response.header(HttpHeaderNames.RETRY_AFTER, "1");
        return error(response, error);
    }

    /**
     * Writes the answer from the connection's event loop, whichever thread decided it (a worker for
     * commands and store reads). Written from a worker, the answer could reach the client, and the
     * client's next request on the kept-alive connection the server, before Reactor Netty had
     * terminated this request: the next one was then bound on top of it, this one was never
     * terminated, each such request stayed chained to the connection, and a graceful stop waited
     * out its whole drain timeout for them.
     */
    static Mono<Void> send(HttpServerResponse response, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Mono<Void> send = Mono.defer(() -> response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, contentType + "; charset=utf-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes))
                .then());
        EventLoop loop = eventLoop(response);
        return loop.inEventLoop() ? send : send.subscribeOn(Schedulers.fromExecutor(loop));
    }

    private static EventLoop eventLoop(HttpServerResponse response) {
        EventLoop[] loop = new EventLoop[1];
        response.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
    }
}
