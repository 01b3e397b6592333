package io.msixpool.commands.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Reads a command's body: JSON in UTF-8, at most {@link #LIMIT} bytes. A body announced as larger is
 * refused before a byte of it is read; a chunked one is refused as soon as it passes the limit, so a
 * client can never make the server buffer more than that.
 */
final class CommandBody {
    static final int LIMIT = 64 * 1024;
    /** Oversized bodies up to this size are read and discarded after the 413 (see {@link #worthDraining}). */
    static final int DRAIN_LIMIT = 1024 * 1024;

    /** The refusal of a body, carried through the reactive chain to the answer. */
    static final class Refused extends RuntimeException {
        final ApiError error;

        Refused(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private CommandBody() {
    }

    /** The body's text, or a {@link Refused} error: 415, 413, 408 or 400. */
    static Mono<String> read(HttpServerRequest request) {
        String contentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
        if (!isJsonInUtf8(contentType)) {
            return Mono.error(new Refused(ApiError.unsupportedMediaType(contentType == null ? "none" : contentType)));
        }
        if (announcedLength(request) > LIMIT) {
            return Mono.error(new Refused(ApiError.tooLarge(LIMIT)));
        }
        return request.receive().asByteArray()
                .reduce(new ByteArrayOutputStream(), (body, chunk) -> {
                    if (body.size() + chunk.length > LIMIT) {
                        throw new Refused(ApiError.tooLarge(LIMIT));
                    }
                    body.writeBytes(chunk);
                    return body;
                })
                .map(body -> decode(body.toByteArray()))
                // A client that stops sending its body: the command never reached the engine.
                .onErrorMap(CommandBody::timedOut, timeout -> new Refused(ApiError.requestTimeout("the body")));
    }

    /** The server's read timeout (a pause) or request timeout (the whole body), whose class Reactor Netty keeps private. */
    private static boolean timedOut(Throwable failure) {
        return failure instanceof ReadTimeoutException
                || failure.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException");
    }

    /**
     * Whether an oversized body is small enough to read and throw away after the 413 rather than
     * close the connection on it: closing while the client still sends makes its TCP stack reset
     * the connection, and the client may lose the 413 itself. Bigger ones (or unannounced lengths)
     * are not worth the bandwidth; their connection is closed.
     */
    static boolean worthDraining(HttpServerRequest request) {
        long length = announcedLength(request);
        return length >= 0 && length <= DRAIN_LIMIT;
    }

    private static long announcedLength(HttpServerRequest request) {
        try {
            return Long.parseLong(request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH, "-1").trim());
        } catch (NumberFormatException unreadable) {
            return -1; // Netty itself refuses a malformed Content-Length before we get here
        }
    }

    private static boolean isJsonInUtf8(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].trim().equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }

    /** Strict UTF-8: a malformed byte is refused, never replaced by U+FFFD and then parsed. */
    private static String decode(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Refused(ApiError.badRequest("the body is not valid UTF-8"));
        }
    }
}
