package io.msixpool.commands.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Pool watchers over real loopback connections, for the watch benchmark: {@link #reading} ones that
 * take every byte as it comes (one thread and a selector for all, so that 500 of them cost the
 * machine little besides what the server spends on them) and count the views they got, from the
 * chunks' sizes (the server writes each event as one chunk) rather than from every byte; or
 * {@link #stalled} ones with a small receive buffer that never read a byte, the worst a server
 * must hold memory for.
 */
final class WatchClients implements AutoCloseable {
    /** One connection and what it received, read as it comes (a read may end anywhere in a chunk). */
    private static final class Watcher {
        final SocketChannel channel;
        volatile long views;
        boolean inHead = true;
        int headEnd; // bytes of "\r\n\r\n" matched at the end of the last read
        int size; // the size line being read
        long left = -1; // bytes of the chunk still to skip (its data and CRLF), -1 while reading a size line
        boolean first; // the next byte is the chunk's first

        Watcher(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final List<Watcher> watchers = new ArrayList<>();
    private final Selector selector;
    private final Thread reader;
    private volatile boolean closing;

    private WatchClients(Selector selector) {
        this.selector = selector;
        this.reader = selector == null ? null : new Thread(this::readAll, "bench-watchers");
    }

    static WatchClients reading(int port, String token, String device, int count) {
        try {
            WatchClients clients = new WatchClients(Selector.open());
            for (int i = 0; i < count; i++) {
                SocketChannel channel = connect(port, token, device, -1);
                channel.configureBlocking(false);
                Watcher watcher = new Watcher(channel);
                channel.register(clients.selector, SelectionKey.OP_READ, watcher);
                clients.watchers.add(watcher);
            }
            clients.reader.start();
            return clients;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WatchClients stalled(int port, String token, String device, int count) {
        WatchClients clients = new WatchClients(null);
        for (int i = 0; i < count; i++) {
            clients.watchers.add(new Watcher(connect(port, token, device, 4096)));
        }
        return clients;
    }

    private static SocketChannel connect(int port, String token, String device, int receiveBuffer) {
        try {
            SocketChannel channel = SocketChannel.open();
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            ByteBuffer request = ByteBuffer.wrap(("GET /v1/devices/" + device + "/pool/watch HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readAll() {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        try {
            while (!closing) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Watcher watcher = (Watcher) key.attachment();
                    buffer.clear();
                    if (watcher.channel.read(buffer) < 0) {
                        key.cancel();
                        continue;
                    }
                    count(watcher, buffer.array(), buffer.position());
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!closing) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Counts the chunks that hold a view ("data: ...", not a heartbeat ":"), skipping their bytes. */
    private static void count(Watcher watcher, byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            if (watcher.inHead) {
                byte b = bytes[i++];
                watcher.headEnd = b == (watcher.headEnd % 2 == 0 ? '\r' : '\n') ? watcher.headEnd + 1 : b == '\r' ? 1 : 0;
                watcher.inHead = watcher.headEnd < 4;
            } else if (watcher.left < 0) {
                byte b = bytes[i++];
                if (b == '\n') {
                    watcher.left = watcher.size + 2L; // the data, then its CRLF
                    watcher.first = true;
                    watcher.size = 0;
                } else if (b != '\r') {
                    watcher.size = watcher.size * 16 + Character.digit(b, 16);
                }
            } else {
                if (watcher.first && watcher.left > 2) {
                    watcher.views += bytes[i] == 'd' ? 1 : 0;
                    watcher.first = false;
                }
                int skip = (int) Math.min(watcher.left, length - i);
                watcher.left -= skip;
                i += skip;
                if (watcher.left == 0) {
                    watcher.left = -1;
                }
            }
        }
    }

    /** The fewest views any one watcher has received so far. */
    long fewestViews() {
        return watchers.stream().mapToLong(watcher -> watcher.views).min().orElse(0);
    }

    long allViews() {
        return watchers.stream().mapToLong(watcher -> watcher.views).sum();
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (reader != null) {
                reader.join(5_000);
                selector.close();
            }
            for (Watcher watcher : watchers) {
                watcher.channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
