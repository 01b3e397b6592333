package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.OpenPf;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, docs/http.md "Watches": a pool watch on one node of a PostgreSQL store shows what another
 * node committed because that node notifies it (LISTEN/NOTIFY), not because it polls the store: both
 * nodes here poll once an hour, so only a notification can bring node A's change to node B's watcher.
 * A change committed while node B's listening connection is cut (its notification lost) still arrives,
 * once node B listens again.
 */
class WatchAcrossNodesTest {
    private static final TestStores.Kind POSTGRES = TestStores.Kind.POSTGRES;
    /** Longer than the test: a view that arrives was not found by a poll. */
    private static final Duration HARDLY_EVER = Duration.ofHours(1);
    private static final String DEVICE = "bf3-across";
    /** A node listening again after its connection was cut takes about a second (StoreNotifications). */
    private static final int VIEW_WAIT_MILLIS = 10_000;

    @Test
    void aWatcherOnAnotherNodeGetsEachCommitThroughNotificationsAlsoOneMadeWhileItsListenerWasCut() throws Exception {
        String store = TestStores.fresh(POSTGRES);
        try (BusFixture a = BusFixture.startPolling(store, HARDLY_EVER);
             BusFixture b = BusFixture.startPolling(store, HARDLY_EVER)) {
            a.accept(BusFixture.provision(DEVICE, "nvme0", 4, 64));
            try (SseStream watch = SseStream.open(b.port(), AUDITOR_TOKEN, DEVICE, -1)) {
                assertEquals(200, watch.status());
                // Shorter than the heartbeat's 15 s, so that a view that never comes fails the read.
                watch.connection.setReadTimeout(VIEW_WAIT_MILLIS);
                readUntil(watch, a.pool(DEVICE), "node B's first view: the PF node A provisioned");

                a.accept("{\"type\":\"OpenPf\",\"device\":\"" + DEVICE + "\",\"pf\":\"nvme0\"}");
                ObjectNode opened = a.pool(DEVICE);
                assertEquals(true, opened.path("pfs").path(0).path("open").asBoolean(false));
                readUntil(watch, opened, "node B's watch shows the PF that node A opened");

                List<Integer> cut = cutListeners(store);
                assertEquals(2, cut.size(), "each node listens on a connection of its own: " + cut);
                awaitGone(store, cut);
                a.accept("{\"type\":\"Reclaim\",\"device\":\"" + DEVICE + "\",\"pf\":\"nvme0\"}");
                ObjectNode reclaimed = a.pool(DEVICE);
                assertEquals(64, reclaimed.path("pfs").path(0).path("msixFree").asInt(-1));
                readUntil(watch, reclaimed, "node B's watch shows the reclaim node A committed while B did not listen");
            }
            assertEquals(a.pool(DEVICE), b.pool(DEVICE), "both nodes answer the same pool");
        }
    }

    /** {@code msix apply} on the store while nodes serve it: an engine that does not follow the store notifies too. */
    @Test
    void aWatcherGetsTheCommitOfACommandLineWriterThroughItsNotification() throws Exception {
        String store = TestStores.fresh(POSTGRES);
        try (BusFixture node = BusFixture.startPolling(store, HARDLY_EVER);
             Engine commandLine = Engine.open(StoreLocation.parse(store))) {
            node.accept(BusFixture.provision(DEVICE, "nvme0", 4, 64));
            try (SseStream watch = SseStream.open(node.port(), AUDITOR_TOKEN, DEVICE, -1)) {
                assertEquals(200, watch.status());
                watch.connection.setReadTimeout(VIEW_WAIT_MILLIS);
                readUntil(watch, node.pool(DEVICE), "the node's first view");
                Outcome opened = commandLine.send(new OpenPf(DEVICE, "nvme0"), "cli");
                assertTrue(opened instanceof Outcome.Accepted, "the command line's OpenPf: " + opened);
                ObjectNode view = node.pool(DEVICE);
                assertEquals(true, view.path("pfs").path(0).path("open").asBoolean(false));
                readUntil(watch, view, "the node's watch shows the PF the command line opened");
            }
        }
    }

    /** Reads views until {@code expected}; a view that never comes fails the read after {@link #VIEW_WAIT_MILLIS}. */
    private static void readUntil(SseStream watch, ObjectNode expected, String what) {
        ObjectNode view;
        do {
            String data = watch.next();
            assertNotNull(data, "the stream ended before " + what);
            view = BusFixture.object(data);
        } while (!view.equals(expected));
    }

    /** Ends the listening sessions of the store's nodes (PostgreSQL's own termination), returning their process ids. */
    private static List<Integer> cutListeners(String store) throws SQLException {
        List<Integer> cut = new ArrayList<>();
        try (Connection admin = DriverManager.getConnection(store);
             PreparedStatement terminate = admin.prepareStatement("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND application_name LIKE 'msix-listen %'");
             ResultSet terminated = terminate.executeQuery()) {
            while (terminated.next()) {
                assertTrue(terminated.getBoolean(2), "terminated listener " + terminated.getInt(1));
                cut.add(terminated.getInt(1));
            }
        }
        return cut;
    }

    /** Until those sessions are gone: a notification sent after this reaches none of them. */
    private static void awaitGone(String store, List<Integer> pids) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection admin = DriverManager.getConnection(store);
             PreparedStatement alive = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY (?)")) {
            alive.setArray(1, admin.createArrayOf("integer", pids.toArray()));
            while (true) {
                try (ResultSet count = alive.executeQuery()) {
                    count.next();
                    if (count.getInt(1) == 0) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "the cut listening sessions are gone within 10 s");
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
    }
}
