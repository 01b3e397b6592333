package io.msixpool.commands.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Bounds what idle or hostile connections can take (docs/http.md "Connections"): at most
 * {@link Limits#maxConnections} open ones are served, and a connection that has not presented a valid
 * token within {@link Limits#unauthenticated} of opening is closed. Without this, 22,000 idle
 * connections took every file descriptor and {@code /healthz} stopped answering.
 *
 * <p>A connection beyond the limit is still accepted (so that a load balancer's health probe gets
 * its answer), but it is served one answer and closed: {@code /healthz} as usual, anything else 503
 * UNAVAILABLE with Retry-After; it is closed after {@link #OVER_LIMIT_DEADLINE} if it sends nothing.
 */
final class ConnectionGate {
    static final Duration OVER_LIMIT_DEADLINE = Duration.ofSeconds(1);
    private static final AttributeKey<Boolean> OVER_LIMIT = AttributeKey.valueOf("msix.overLimit");
    private static final AttributeKey<Boolean> AUTHENTICATED = AttributeKey.valueOf("msix.authenticated");

    /** How many connections are served at once, and how long one may stay without a valid token. */
    record Limits(int maxConnections, Duration unauthenticated) {
        static final int MOST = 10_000;
        static final Duration UNAUTHENTICATED = Duration.ofSeconds(10);

        Limits {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("the connection limit must be at least 1, not " + maxConnections);
            }
        }

        /** {@link #MOST}, or half the process's file-descriptor limit when that is lower. */
        static Limits forThisMachine() {
            return new Limits(defaultMaxConnections(), UNAUTHENTICATED);
        }

        static int defaultMaxConnections() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return (int) Math.max(1, Math.min(MOST, unix.getMaxFileDescriptorCount() / 2));
            }
            return MOST;
        }
    }

    private final Limits limits;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionGate(Limits limits) {
        this.limits = limits;
    }

    /** Called for each new connection, on its event loop. */
    void admit(Channel channel) {
        boolean over = open.incrementAndGet() > limits.maxConnections();
        channel.closeFuture().addListener(closed -> open.decrementAndGet());
        if (over) {
            channel.attr(OVER_LIMIT).set(true);
        }
        long deadline = (over ? OVER_LIMIT_DEADLINE : limits.unauthenticated()).toNanos();
        var timer = channel.eventLoop().schedule(() -> {
            if (!Boolean.TRUE.equals(channel.attr(AUTHENTICATED).get())) {
                channel.close();
            }
        }, deadline, TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> timer.cancel(false));
    }

    static boolean overLimit(HttpServerRequest request) {
        return Boolean.TRUE.equals(channelOf(request).attr(OVER_LIMIT).get());
    }

    /** The connection presented a valid token: it is no longer closed at the unauthenticated deadline. */
    static void authenticated(HttpServerRequest request) {
        channelOf(request).attr(AUTHENTICATED).set(true);
    }

    int maxConnections() {
        return limits.maxConnections();
    }

    private static Channel channelOf(HttpServerRequest request) {
        Channel[] channel = new Channel[1];
        request.withConnection(connection -> channel[0] = connection.channel());
        return channel[0];
    }
}
