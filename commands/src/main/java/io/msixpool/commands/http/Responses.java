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

    /**
     * Writes the answer from the connection's event loop, also when it was decided on a worker.
     * Reactor Netty 1.2 ends a keep-alive request only once its last write completed; written from
     * another thread, the client's next request could be read in between, and the earlier request
     * was then never ended: a graceful stop waited its full drain time for such idle connections and
     * then failed (found by ServeProcessTest and TwoNodesTest; the race of reactor-netty issue 4188).
     */
    static Mono<Void> send(HttpServerResponse response, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Mono<Void> answer = Mono.defer(() -> response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, contentType + "; charset=utf-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes))
                .then());
        EventLoop[] loop = new EventLoop[1];
        response.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0] == null || loop[0].inEventLoop() ? answer : answer.subscribeOn(Schedulers.fromExecutor(loop[0]));
    }
}
