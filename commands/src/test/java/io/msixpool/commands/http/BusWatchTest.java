package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusContractTest.assertError;
import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.OPERATOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.assign;
import static io.msixpool.commands.http.BusFixture.object;
import static io.msixpool.commands.http.BusFixture.provision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.TestStores;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code GET /v1/devices/{device}/pool/watch}: server-sent events over real HTTP, the current view
 * first and then one view per change of that device only; unknown devices; the watchers gauge; and
 * a watcher that does not read, which must neither slow the engine nor make the server keep every
 * view for it: it gets the newest view when it reads again.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Isolated // a slow watcher is measured against the command rate: it needs the machine to itself
class BusWatchTest {
    private static final String WATCHERS = "msix_watchers";
    private static BusFixture bus;

    @BeforeAll
    static void startServer() {
        bus = BusFixture.start(TestStores.Kind.EMBEDDED);
    }

    @AfterAll
    static void stopServer() {
        bus.close();
    }

    @Test
    void theCurrentViewComesFirstThenOneViewPerChangeOfThatDeviceOnly() {
        bus.accept(provision("w-1", "nvme0", 4, 64));
        bus.accept(provision("w-2", "nvme0", 4, 64));
        try (SseStream watch = SseStream.open(bus.port(), AUDITOR_TOKEN, "w-1", -1)) {
            assertEquals(200, watch.status());
            assertEquals("text/event-stream", watch.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT));
            assertEquals(bus.pool("w-1"), object(watch.next()), "the first event is the current view");

            List<String> changesOfW1 = List.of(
                    "{\"type\":\"OpenPf\",\"device\":\"w-1\",\"pf\":\"nvme0\"}",
                    "{\"type\":\"Reclaim\",\"device\":\"w-1\",\"pf\":\"nvme0\"}",
                    assign("w-1", "nvme0", 2, 12),
                    "{\"type\":\"CloseVf\",\"device\":\"w-1\",\"pf\":\"nvme0\",\"vf\":2}",
                    provision("w-1", "nvme1", 2, 32),
                    "{\"type\":\"ArmReset\",\"device\":\"w-1\",\"kind\":\"FE_RESET\"}");
            List<String> changesOfW2 = List.of(
                    "{\"type\":\"OpenPf\",\"device\":\"w-2\",\"pf\":\"nvme0\"}",
                    "{\"type\":\"Reclaim\",\"device\":\"w-2\",\"pf\":\"nvme0\"}",
                    assign("w-2", "nvme0", 0, 8),
                    assign("w-2", "nvme0", 1, 8),
                    "{\"type\":\"ReleaseVectors\",\"device\":\"w-2\",\"pf\":\"nvme0\",\"vf\":1}",
                    provision("w-2", "nvme1", 2, 32));
            for (int i = 0; i < changesOfW1.size(); i++) {
                // Before each change of w-1: a change of w-2, and commands on w-1 that change nothing.
                bus.accept(changesOfW2.get(i));
                assertEquals(422, bus.post(OPERATOR_TOKEN, provision("w-1", "nvme0", 4, 64)).statusCode());
                bus.accept(changesOfW1.get(i));
                // Had w-2's change or the rejection sent anything, it would come before this view.
                ObjectNode expected = bus.pool("w-1");
                assertEquals(expected, object(watch.next()), "the view after " + changesOfW1.get(i));
            }
        }
    }

    @Test
    void aWatchOfAnUnknownDeviceAnswers404UnknownDevice() {
        double watchers = watchers();
        assertError(bus.get(AUDITOR_TOKEN, "/v1/devices/never-seen/pool/watch"), 404, "UNKNOWN_DEVICE");
        assertError(bus.get(AUDITOR_TOKEN, "/v1/devices/not%20an%20id/pool/watch"), 400, "BAD_REQUEST");
        try (SseStream watch = SseStream.open(bus.port(), OPERATOR_TOKEN, "never-seen", -1)) {
            assertEquals(404, watch.status());
        }
        assertEquals(watchers, watchers(), "no watch was opened");
    }

    @Test
    void theWatchersGaugeCountsOpenStreamsAndAClientThatLeavesIsCountedOut() {
        bus.accept(provision("g-1", "nvme0", 2, 32));
        double before = watchers();
        try (SseStream first = SseStream.open(bus.port(), AUDITOR_TOKEN, "g-1", -1)) {
            assertNotNull(first.next());
            try (SseStream second = SseStream.open(bus.port(), OPERATOR_TOKEN, "g-1", -1)) {
                assertNotNull(second.next());
                assertEquals(before + 2, watchers(), "counted once their first view was sent");
            }
            awaitWatchers(before + 1, "the second client left");

            // The remaining watcher still gets its views.
            bus.accept("{\"type\":\"OpenPf\",\"device\":\"g-1\",\"pf\":\"nvme0\"}");
            assertEquals(bus.pool("g-1"), object(first.next()));
        }
        awaitWatchers(before, "both clients left");
    }

    /** Commands per burst in the watched run, and the pause after each: longer than the feed's 100 ms poll. */
    private static final int BURST = 5;
    private static final long BURST_PAUSE_MS = 120;

    @Test
    void aWatcherThatDoesNotReadSlowsNoCommandAndGetsTheNewestViewWhenItReads() throws Exception {
        // Large views (two PFs of 2,048 VFs, about 125 KB each), so that a few fill any socket buffer.
        int commands = 300;
        for (String pf : List.of("nvme0", "nvme1")) {
            bus.accept(provision("big", pf, 2048, 4096));
            bus.accept("{\"type\":\"OpenPf\",\"device\":\"big\",\"pf\":\"" + pf + "\"}");
            bus.accept("{\"type\":\"Reclaim\",\"device\":\"big\",\"pf\":\"" + pf + "\"}");
        }
        double before = watchers();
        long unwatched = timeCommands(commands, vf -> assign("big", "nvme0", vf, 2));

        // A watcher with a 4 KiB receive buffer that reads nothing, not even the head, for now; and
        // one that reads every view as it comes, which tells how many views the server sent.
        try (SseStream slow = SseStream.open(bus.port(), AUDITOR_TOKEN, "big", 4096);
             SseStream fast = SseStream.open(bus.port(), AUDITOR_TOKEN, "big", -1)) {
            awaitWatchers(before + 2, "both watchers subscribed");
            ObjectNode[] last = new ObjectNode[1];
            CompletableFuture<Integer> fastViews = CompletableFuture.supplyAsync(() -> {
                int views = 0;
                do {
                    last[0] = object(fast.next());
                    views++;
                } while (openVfs(last[0].get("pfs").get(1)) < commands);
                return views;
            });
            // In bursts a little longer apart than the feed's poll, so that the server sends a view per
            // burst (60 at least) whatever the store's speed: more than a slow reader's buffers can hold.
            long watched = timeCommands(commands, vf -> assign("big", "nvme1", vf, 2), BURST, BURST_PAUSE_MS);
            System.out.printf("%d commands through HTTP: %d ms unwatched, %d ms watched by a reader and a non-reader%n",
                    commands, unwatched, watched);
            assertTrue(watched < 10 * unwatched + 30_000, "a sanity bound only: " + watched + " ms");
            int sent = fastViews.get(30, TimeUnit.SECONDS);
            ObjectNode newest = bus.pool("big");
            assertEquals(newest, last[0], "the reading watcher ends at the newest view");

            // Now the slow one reads: views in order, ending at the newest, most of the stale ones dropped.
            slow.connection.setReadTimeout(20_000);
            int views = 0;
            int lastOpen = -1;
            JsonNode view;
            do {
                String data = slow.next();
                assertNotNull(data, "the stream ended before the newest view");
                view = object(data);
                views++;
                int open = openVfs(view.get("pfs").get(1));
                assertTrue(open > lastOpen, "views come in order: " + open + " after " + lastOpen);
                lastOpen = open;
            } while (!view.equals(newest));
            System.out.printf("of %d views sent to a reader, the watcher that did not read got %d%n", sent, views);
            assertTrue(views < sent / 2, "a slow watcher drops to the newest view, but it got " + views
                    + " of the " + sent + " views");
        }
        awaitWatchers(before, "both watchers left");
    }

    // ---- helpers

    private static long timeCommands(int count, IntFunction<String> command) {
        return timeCommands(count, command, count, 0);
    }

    /** Milliseconds spent in the commands (not in the pauses), sent {@code burst} at a time. */
    private static long timeCommands(int count, IntFunction<String> command, int burst, long pauseMillis) {
        long spent = 0;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            bus.accept(command.apply(i));
            spent += System.nanoTime() - start;
            if ((i + 1) % burst == 0 && pauseMillis > 0) {
                sleep(pauseMillis);
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(spent);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int openVfs(JsonNode pf) {
        int open = 0;
        for (JsonNode vf : pf.get("vfs")) {
            open += vf.get("open").asBoolean() ? 1 : 0;
        }
        return open;
    }

    private static double watchers() {
        return BusFixture.sample(bus.metrics(), WATCHERS);
    }

    /** Waits for the gauge to read {@code expected}: the server notices a client leaving asynchronously. */
    private static void awaitWatchers(double expected, String why) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (watchers() != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        assertEquals(expected, watchers(), why);
    }
}
