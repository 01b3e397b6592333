package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Idle and hostile connections cannot take the server: at the connection limit {@code /healthz}
 * still answers and everything else gets a 503 at once, and a connection that never presents a
 * valid token is closed at its deadline, which frees its place (docs/http.md "Connections").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitTest {
    private static final int LIMIT = 20;
    private static final Duration UNAUTHENTICATED = Duration.ofSeconds(2);

    @Test
    void atTheLimitHealthStillAnswersOthersGet503AndUnauthenticatedConnectionsAreClosed() throws Exception {
        try (BusFixture bus = BusFixture.startOn(TestStores.Kind.EMBEDDED, TestStores.fresh(TestStores.Kind.EMBEDDED),
                BusServer.Timeouts.DEFAULT, new ConnectionGate.Limits(LIMIT, UNAUTHENTICATED))) {
            // An authenticated, kept-alive connection made first: it keeps its place and is never cut off.
            RawHttp trusted = RawHttp.connect(bus.port());
            byte[] provision = BusFixture.provision("gate", "nvme0", 4, 64).getBytes(StandardCharsets.UTF_8);
            assertEquals(200, trusted.send(RawHttp.commandRequest(provision)).readResponse().status());
            List<RawHttp> idle = new ArrayList<>();
            for (int i = 1; i < LIMIT; i++) {
                idle.add(RawHttp.connect(bus.port())); // connected, never says a word
            }
            awaitOpenConnections(bus, LIMIT);

            try (RawHttp health = RawHttp.connect(bus.port())) {
                RawHttp.Response response = health.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readResponse();
                assertEquals(200, response.status(), "health answers at the limit: " + response.body());
            }
            try (RawHttp beyond = RawHttp.connect(bus.port())) {
                RawHttp.Response response = beyond.send(poolRequest()).readResponse();
                BusRobustnessTest.assertError(response, 503, "UNAVAILABLE", "a request beyond the connection limit");
                assertEquals("1", response.header("retry-after"));
                assertEquals("close", response.header("connection"));
            }

            // The silent ones are closed at their deadline, and their places are free again.
            for (RawHttp connection : idle) {
                assertClosedByTheServer(connection);
                connection.close();
            }
            awaitOpenConnections(bus, 1);
            try (RawHttp after = RawHttp.connect(bus.port())) {
                assertEquals(200, after.send(poolRequest()).readResponse().status(), "served again below the limit");
            }
            assertEquals(200, trusted.send(poolRequest()).readResponse().status(),
                    "the authenticated connection outlived the deadline of unauthenticated ones");
            trusted.close();
        }
    }

    private static String poolRequest() {
        return "GET /v1/devices/gate/pool HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + BusFixture.AUDITOR_TOKEN + "\r\n\r\n";
    }

    /** The server closes the connection: a read ends (-1 or a reset) well within the test's time. */
    private static void assertClosedByTheServer(RawHttp connection) throws IOException {
        connection.socket.setSoTimeout((int) UNAUTHENTICATED.multipliedBy(5).toMillis());
        InputStream in = connection.socket.getInputStream();
        try {
            assertEquals(-1, in.read(), "an unauthenticated connection sends nothing and is closed");
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("an unauthenticated connection is still open " + UNAUTHENTICATED.multipliedBy(5).toSeconds() + " s on");
        } catch (IOException reset) {
            assertTrue(reset.getMessage() != null, "closed by a reset");
        }
    }

    private static void awaitOpenConnections(BusFixture bus, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (bus.server.openConnections() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(bus.server.openConnections() + " connections open, expected " + count);
            }
            Thread.sleep(10);
        }
    }
}
