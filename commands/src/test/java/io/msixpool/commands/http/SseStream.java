package io.msixpool.commands.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pool watch read over a raw connection: sends the request, reads the head, then decodes the
 * chunked body into server-sent events (the {@code data:} of each; comments such as heartbeats are
 * skipped). Reads only when asked, so a test can leave it unread as long as it likes.
 */
final class SseStream implements AutoCloseable {
    final RawHttp connection;
    private final StringBuilder pending = new StringBuilder();
    private int status = -1;
    private String contentType;

    private SseStream(RawHttp connection) {
        this.connection = connection;
    }

    /** Opens a watch of {@code device} with {@code token}; the head is read on the first {@link #next()}. */
    static SseStream open(int port, String token, String device, int receiveBuffer) {
        return get(port, token, "/v1/devices/" + device + "/pool/watch", receiveBuffer);
    }

    /** Opens any watch stream, {@code path} with its query. */
    static SseStream get(int port, String token, String path, int receiveBuffer) {
        RawHttp connection = RawHttp.connect(port, receiveBuffer);
        connection.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n");
        return new SseStream(connection);
    }

    int status() {
        readHead();
        return status;
    }

    String contentType() {
        readHead();
        return contentType;
    }

    private void readHead() {
        if (status >= 0) {
            return;
        }
        try {
            String[] lines = connection.readHead().split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                String[] header = lines[i].split(":", 2);
                String name = header[0].trim().toLowerCase(Locale.ROOT);
                if (name.equals("content-type")) {
                    contentType = header[1].trim();
                }
                if (name.equals("transfer-encoding") && header[1].trim().equalsIgnoreCase("chunked")) {
                    chunked = true;
                }
            }
            if (status == 200 && !chunked) {
                throw new IllegalStateException("a watch stream is chunked: " + String.join(" | ", lines));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data of the next event, or null when the stream ended. Blocks up to the socket's read timeout. */
    String next() {
        readHead();
        try {
            while (true) {
                int end = pending.indexOf("\n\n");
                if (end >= 0) {
                    String event = pending.substring(0, end);
                    pending.delete(0, end + 2);
                    List<String> data = new ArrayList<>();
                    for (String line : event.split("\n")) {
                        if (line.startsWith("data:")) {
                            data.add(line.substring(5).strip());
                        }
                    }
                    if (!data.isEmpty()) {
                        return String.join("\n", data);
                    }
                    continue; // a comment (heartbeat)
                }
                String size = connection.readLine();
                if (size == null) {
                    return null;
                }
                int length = Integer.parseInt(size.trim(), 16);
                if (length == 0) {
                    return null;
                }
                byte[] chunk = connection.readBytes(length);
                connection.readLine(); // the CRLF after the chunk
                pending.append(new String(chunk, StandardCharsets.UTF_8)); // views are ASCII: no character spans chunks
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
