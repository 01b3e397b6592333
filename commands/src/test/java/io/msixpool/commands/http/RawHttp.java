package io.msixpool.commands.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** One raw HTTP/1.1 connection over a socket, for requests {@link java.net.http.HttpClient} cannot send. */
final class RawHttp implements AutoCloseable {
    /** What the server answered: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawHttp connect(int port) {
        return connect(port, -1);
    }

    /** A connection whose receive buffer is {@code receiveBuffer} bytes (-1: the default), set before connecting. */
    static RawHttp connect(int port, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The head of a POST of a command as the operator, with these extra header lines (each ending in CRLF). */
    static String commandHead(String extraHeaders) {
        return "POST /v1/commands HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + BusFixture.OPERATOR_TOKEN
                + "\r\n" + extraHeaders + "\r\n";
    }

    /** A whole POST of {@code body} with its Content-Length and a JSON content type. */
    static byte[] commandRequest(byte[] body) {
        return concat(commandHead("Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII), body);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    RawHttp send(String ascii) {
        return send(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    RawHttp send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends as much of {@code bytes} as the server takes; false when it closed or reset the connection first. */
    boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException closedOrReset) {
            return false;
        }
    }

    void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void setReadTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response with a Content-Length (every answer of the bus but a watch stream). */
    Response readResponse() {
        try {
            Response head = parseHead(readHead());
            int length = Integer.parseInt(head.header("content-length"));
            return new Response(head.status(), head.headers(), new String(readBytes(length), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one response however it is framed: no body (the answer to a HEAD), a Content-Length, or
     * chunks up to the last one or until {@code enough} holds for the text read so far (a stream that
     * does not end by itself, such as a watch).
     */
    Response readResponse(boolean bodiless, Predicate<String> enough) throws IOException {
        Response head = parseHead(readHead());
        if (bodiless) {
            return head;
        }
        String length = head.header("content-length");
        if (length != null) {
            return new Response(head.status(), head.headers(),
                    new String(readBytes(Integer.parseInt(length)), StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (!enough.test(body.toString(StandardCharsets.UTF_8))) {
            String size = readLine();
            int chunk = size == null ? 0 : Integer.parseInt(size.trim(), 16);
            if (chunk == 0) {
                break;
            }
            body.writeBytes(readBytes(chunk));
            readLine(); // the CRLF after the chunk
        }
        return new Response(head.status(), head.headers(), body.toString(StandardCharsets.UTF_8));
    }

    /** A head's status and headers (lower-case names), with an empty body. */
    private static Response parseHead(String head) {
        String[] lines = head.split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].split(" ", 3)[1]), headers, "");
    }

    /** Reads up to the blank line that ends a head, returned without it. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended inside a head: <" + head.toString(StandardCharsets.US_ASCII) + ">");
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return new String(bytes, 0, n - 4, StandardCharsets.US_ASCII);
            }
        }
    }

    byte[] readBytes(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("the stream ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    /** One line of a streamed body (without its line end), or null when the stream ended. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    /** True when the server closed (or reset) the connection: a read ends within the socket's timeout. */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection
        }
    }
}
