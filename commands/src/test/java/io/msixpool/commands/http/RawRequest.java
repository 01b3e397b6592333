package io.msixpool.commands.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request of any shape (any method, target, headers and body bytes), written as it is on a
 * connection of its own: what {@link OpenApiConformanceTest} sends and {@link OpenApiCheck} judges.
 * A body gets its Content-Length unless a header frames it already.
 */
record RawRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    RawRequest {
        headers = List.copyOf(headers);
    }

    static RawRequest of(String method, String target) {
        return new RawRequest(method, target, List.of(Map.entry("Host", "127.0.0.1")), new byte[0]);
    }

    RawRequest header(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new RawRequest(method, target, more, body);
    }

    /** With a bearer token, or unchanged for none. */
    RawRequest token(String token) {
        return token == null ? this : header("Authorization", "Bearer " + token);
    }

    RawRequest body(byte[] bytes) {
        return new RawRequest(method, target, headers, bytes);
    }

    RawRequest json(String text) {
        return header("Content-Type", "application/json").body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first value of a header (any case), or null. */
    String header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    byte[] bytes() {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        if (body.length > 0 && header("Content-Length") == null && header("Transfer-Encoding") == null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return RawHttp.concat(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /**
     * Sends this on a new connection and reads the answer: a watch stream up to its first view.
     * Null when the server closed the connection without answering.
     */
    RawHttp.Response send(int port) {
        try (RawHttp connection = RawHttp.connect(port)) {
            connection.send(bytes());
            return connection.readResponse(method.equals("HEAD"), text -> text.contains("data:") && text.endsWith("\n\n"));
        } catch (UncheckedIOException | IOException closedWithoutAnswer) {
            return null;
        }
    }

    /** The request as a failure message shows it: printable, the body cut at 300 characters. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(method).append(' ').append(target);
        headers.forEach(h -> text.append(" | ").append(h.getKey()).append(": ").append(h.getValue()));
        if (body.length > 0) {
            text.append(" | body (").append(body.length).append(" bytes): ");
            for (int i = 0; i < Math.min(body.length, 300); i++) {
                int b = body[i] & 0xff;
                text.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format(Locale.ROOT, "\\x%02x", b));
            }
        }
        return text.toString();
    }
}
