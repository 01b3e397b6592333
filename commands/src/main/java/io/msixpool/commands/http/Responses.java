package io.msixpool.commands.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
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

    static Mono<Void> send(HttpServerResponse response, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, contentType + "; charset=utf-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes))
                .then();
    }
}
