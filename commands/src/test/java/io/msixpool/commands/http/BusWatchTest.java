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
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
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
 * first and then one view per change of that device only; unknown devices; the watchers gauge; a
 * watcher that does not read, which must neither slow the engine nor make the server keep every
 * view for it: it gets the newest view when it reads again; and the feed a device's watchers share
 * (one per watched device, gone with its last watcher), which a late watcher joins at the current view.
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

    /** Commands per burst in the watched run, and the pause after each, longer than the pacing of these views. */
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
            // In bursts further apart than the feed's pacing of these views, so that the server sends a view per
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

    @Test
    void manyWatchersOfADeviceShareOneFeedAndEachEndsAtTheFinalView() {
        int watchers = 40;
        bus.openReclaimedPf("many", "nvme0", 16);
        List<SseStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < watchers; i++) {
                streams.add(SseStream.open(bus.port(), AUDITOR_TOKEN, "many", -1));
            }
            ObjectNode first = bus.pool("many");
            for (SseStream watch : streams) {
                assertEquals(first, object(watch.next()), "every watcher's first view is the current one");
            }
            assertEquals(1, feedSubscriptions(), "one subscription to the engine's feed for all " + watchers
                    + " watchers: a change is read and serialised once, not once per watcher");
            assertEquals(1, bus.server.watchedDevices());

            for (int vf = 0; vf < 10; vf++) {
                bus.accept(assign("many", "nvme0", vf, 2));
            }
            ObjectNode last = bus.pool("many");
            for (SseStream watch : streams) {
                readUntil(watch, last);
            }
        } finally {
            streams.forEach(SseStream::close);
        }
        awaitFeeds(0, "the last watcher left: the device's feed is closed and unwatched again");
        assertEquals(0, feedSubscriptions(), "nothing follows the device any more");
    }

    @Test
    void aWatcherJoiningLateGetsTheCurrentViewWithoutWaitingForTheFeed() {
        bus.accept(provision("late", "nvme0", 8, 64));
        bus.accept("{\"type\":\"OpenPf\",\"device\":\"late\",\"pf\":\"nvme0\"}");
        bus.accept("{\"type\":\"Reclaim\",\"device\":\"late\",\"pf\":\"nvme0\"}");
        List<SseStream> streams = new ArrayList<>();
        try (SseStream early = SseStream.open(bus.port(), AUDITOR_TOKEN, "late", -1)) {
            assertEquals(bus.pool("late"), object(early.next()));
            for (int vf = 0; vf < 8; vf++) {
                // Joined right after the answer: the feed may not have seen this change yet, the view must.
                bus.accept(assign("late", "nvme0", vf, 2));
                SseStream joined = SseStream.open(bus.port(), AUDITOR_TOKEN, "late", -1);
                streams.add(joined);
                assertEquals(bus.pool("late"), object(joined.next()), "the first view shows VF " + vf + " open");
            }
            // And the late ones follow the changes after their first view, as the first watcher does.
            bus.accept("{\"type\":\"ReleaseVectors\",\"device\":\"late\",\"pf\":\"nvme0\",\"vf\":0}");
            ObjectNode last = bus.pool("late");
            readUntil(early, last);
            for (SseStream joined : streams) {
                readUntil(joined, last);
            }
        } finally {
            streams.forEach(SseStream::close);
        }
        awaitFeeds(0, "every watcher left");
    }

    @Test
    void watchersOfTwoDevicesAreIndependent() {
        bus.accept(provision("ind-1", "nvme0", 4, 64));
        bus.accept(provision("ind-2", "nvme0", 4, 64));
        String openPf2 = "{\"type\":\"OpenPf\",\"device\":\"ind-2\",\"pf\":\"nvme0\"}";
        try (SseStream second = SseStream.open(bus.port(), AUDITOR_TOKEN, "ind-2", -1)) {
            assertNotNull(second.next());
            try (SseStream first = SseStream.open(bus.port(), AUDITOR_TOKEN, "ind-1", -1)) {
                assertNotNull(first.next());
                assertEquals(2, bus.server.watchedDevices(), "a feed per device");
                bus.accept("{\"type\":\"OpenPf\",\"device\":\"ind-1\",\"pf\":\"nvme0\"}");
                assertEquals(bus.pool("ind-1"), object(first.next()));
            }
            awaitFeeds(1, "the watcher of ind-1 left; ind-2's feed stays");
            bus.accept(openPf2);
            // Had ind-1's change reached this watcher, it would come before this view.
            assertEquals(bus.pool("ind-2"), object(second.next()), "the view after " + openPf2);
        }
        awaitFeeds(0, "both watchers left");
    }

    /**
     * Watchers that read nothing hold references to the views the feed made, not copies: the memory
     * they hold is a few views of the device, whether 2 watchers stall or 40. (Netty copies a heap
     * buffer into direct memory of its own for each write; each stalled watcher held such a copy.)
     */
    @Test
    void stalledWatchersHoldTheSharedViewsNotCopiesAndGetTheNewestWhenTheyRead() throws Exception {
        int stalled = 40;
        for (int pf = 0; pf < 8; pf++) {
            bus.accept(provision("wide", "nvme" + pf, 4096, 8192));
        }
        int viewBytes = bus.poolResponse("wide").body().length();
        long before = memoryAfterCollection();
        List<SseStream> streams = new ArrayList<>();
        try {
            double watching = watchers();
            for (int i = 0; i < stalled; i++) {
                streams.add(SseStream.open(bus.port(), AUDITOR_TOKEN, "wide", 4096));
            }
            awaitWatchers(watching + stalled, "every stalled watcher was sent its first view");
            for (int change = 0; change < 3; change++) {
                bus.accept("{\"type\":\"" + (change % 2 == 0 ? "OpenPf" : "ClosePf")
                        + "\",\"device\":\"wide\",\"pf\":\"nvme0\"}");
            }
            // Shared, they hold at most four frames (the first, part written; one waiting for the socket,
            // one in the stream, the newest) and the engine a view or two as objects: a few views' worth,
            // whatever their number. A view to each may still be on its way: wait for the memory to settle
            // below the bound, which copies per watcher (40 of them) never do.
            long bound = 20L * viewBytes;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long held;
            do {
                held = memoryAfterCollection() - before;
            } while (held > bound && System.nanoTime() < deadline);
            System.out.printf("%d watchers that do not read hold %,d bytes of heap and direct memory, views of %,d bytes%n",
                    stalled, held, viewBytes);
            assertTrue(held <= bound, stalled + " stalled watchers hold " + held + " bytes, more than 20 views of "
                    + viewBytes + " bytes: copies per watcher");

            ObjectNode newest = bus.pool("wide");
            for (SseStream watch : streams) {
                watch.connection.setReadTimeout(20_000);
                readUntil(watch, newest);
            }
        } finally {
            streams.forEach(SseStream::close);
        }
        awaitFeeds(0, "every stalled watcher left");
    }

    // ---- helpers

    /** Reads views until {@code expected}; fails if the stream ends first. */
    private static void readUntil(SseStream watch, ObjectNode expected) {
        ObjectNode view;
        do {
            String data = watch.next();
            assertNotNull(data, "the stream ended before the view " + expected);
            view = object(data);
        } while (!view.equals(expected));
    }

    /** Subscriptions to the engine's watch feed (Axon's subscription queries), of any device. */
    private static int feedSubscriptions() {
        return bus.engine.axon().queryUpdateEmitter().activeSubscriptions().size();
    }

    /**
     * Memory in use after a collection: the heap, the JDK's direct buffers, and the bytes Netty's pool
     * has handed out and not had back (not the pool's size, which keeps what earlier tests made it take).
     */
    private static long memoryAfterCollection() {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        for (PoolArenaMetric arena : PooledByteBufAllocator.DEFAULT.metric().directArenas()) {
            used += arena.numActiveBytes();
        }
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }

    private static void awaitFeeds(int expected, String why) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bus.server.watchedDevices() != expected && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertEquals(expected, bus.server.watchedDevices(), why);
    }

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
