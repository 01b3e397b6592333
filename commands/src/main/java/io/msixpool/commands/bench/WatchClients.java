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
 * machine little besides what the server spends on them) and count the views they got; or
 * {@link #stalled} ones with a small receive buffer that never read a byte, the worst a server
 * must hold memory for.
 */
final class WatchClients implements AutoCloseable {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    /** One connection and what it received: views counted across reads (a marker may span two). */
    private static final class Watcher {
        final SocketChannel channel;
        volatile long views;
        int matched; // bytes of DATA matched at the end of the last read

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

    private static void count(Watcher watcher, byte[] bytes, int length) {
        int matched = watcher.matched;
        long views = watcher.views;
        for (int i = 0; i < length; i++) {
            matched = bytes[i] == DATA[matched] ? matched + 1 : bytes[i] == DATA[0] ? 1 : 0;
            if (matched == DATA.length) {
                views++;
                matched = 0;
            }
        }
        watcher.matched = matched;
        watcher.views = views;
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
