package io.msixpool.commands.bench;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.ClosePf;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code msix bench --watch} (issue 11): what pool watchers cost the engine and the memory.
 *
 * <p>Rate: one client sends commands over HTTP, one after the other, to a card of the fleet (4 PFs
 * of 128 VFs) that nobody watches, then to one that {@code watchers} clients watch, reading every
 * view, and so on in turn. Memory: {@code stalled} watchers of the largest card the rules allow
 * (64 PFs of 4,096 VFs, a view of about 9 MB) that never read a byte, while the card changes a few
 * times; the heap (after a full collection) and the direct memory they hold, per watcher.
 */
public final class WatchBench {
    static final String WATCHED = "watched";
    static final String UNWATCHED = "unwatched";
    /** Rounds of a run of each kind; the medians count. */
    static final int ROUNDS = 5;
    static final String LARGEST = "largest";
    static final int CARD_PFS = 4;
    static final int CARD_VFS = 128;
    static final int LARGEST_PFS = 64;
    static final int LARGEST_VFS = 4_096;
    /** Changes of the largest card while its watchers stall, each given a view of its own. */
    static final int LARGEST_CHANGES = 4;

    /** What one run measured: rates and their ratio the medians of the rounds; memory held by all the stalled watchers, in bytes. */
    public record Result(int commands, double unwatchedPerSecond, int watchers, double watchedPerSecond, double ratio,
                         long viewsReceived, int stalled, long largestViewBytes, long heapHeld, long directHeld) {
        public String table() {
            return String.format(Locale.ROOT, """
                    one client's commands over HTTP to a card of %d PFs x %d VFs, median of %d rounds of a run of %d each:
                      card without watchers  %8.0f commands/s
                      card with %4d watchers %8.0f commands/s  (median ratio of the rounds %.2f; the watchers got %,d views)
                    %d watchers of a card of %d PFs x %d VFs (a view of %,d bytes) that never read, after %d changes:
                      heap      %,14d bytes held, %,11d per watcher
                      direct    %,14d bytes held, %,11d per watcher
                    """, CARD_PFS, CARD_VFS, ROUNDS, commands, unwatchedPerSecond, watchers, watchedPerSecond, ratio,
                    viewsReceived, stalled, LARGEST_PFS, LARGEST_VFS, largestViewBytes, LARGEST_CHANGES,
                    heapHeld, heapHeld / stalled, directHeld, directHeld / stalled);
        }
    }

    private WatchBench() {
    }

    public static Result run(Path root, int commands, int watchers, int stalled, Consumer<String> progress)
            throws Exception {
        StoreLocation store = StoreLocation.parse(Files.createTempDirectory(root, "watch-store").toString());
        try (LocalBus bus = LocalBus.start(store, Files.createTempDirectory(root, "tokens"))) {
            for (int pf = 0; pf < CARD_PFS; pf++) {
                openReclaimed(bus, WATCHED, "nvme" + pf, CARD_VFS);
                openReclaimed(bus, UNWATCHED, "nvme" + pf, CARD_VFS);
            }
            double[] unwatched = new double[ROUNDS];
            double[] watched = new double[ROUNDS];
            long views;
            try (WatchClients reading = WatchClients.reading(bus.port(), bus.token(), WATCHED, watchers)) {
                await(() -> reading.fewestViews() >= 1, "every watcher's first view");
                for (int warmUp = 0; warmUp < 2; warmUp++) { // the JIT's, of both paths
                    rate(bus, UNWATCHED, commands);
                    rate(bus, WATCHED, commands);
                }
                long first = reading.allViews();
                // Rounds of one run each, in turn and in alternating order, so that whatever else the
                // machine does, and any drift, weighs on both alike; each round gives a ratio.
                for (int round = 0; round < ROUNDS; round++) {
                    boolean watchedFirst = round % 2 == 1;
                    watched[round] = watchedFirst ? rate(bus, WATCHED, commands) : Double.NaN;
                    unwatched[round] = rate(bus, UNWATCHED, commands);
                    watched[round] = watchedFirst ? watched[round] : rate(bus, WATCHED, commands);
                    progress.accept(String.format(Locale.ROOT, "round %d: %.0f commands/s unwatched, %.0f with %d watchers (%.2f)",
                            round + 1, unwatched[round], watched[round], watchers, watched[round] / unwatched[round]));
                }
                TimeUnit.MILLISECONDS.sleep(500); // the last change's view reaches the reading watchers
                views = reading.allViews() - first;
            }
            await(() -> watcherGauge(bus) == 0, "the watchers leaving");

            for (int pf = 0; pf < LARGEST_PFS; pf++) {
                decide(bus, new ProvisionPf(LARGEST, "nvme" + pf, Emulation.NVME, LARGEST_VFS, LARGEST_VFS * 2, 1, 32));
            }
            long viewBytes = bus.get("/v1/devices/" + LARGEST + "/pool").length();
            long[] before = memory();
            long[] held;
            try (WatchClients idle = WatchClients.stalled(bus.port(), bus.token(), LARGEST, stalled)) {
                await(() -> watcherGauge(bus) == stalled, "the stalled watchers' first views");
                for (int change = 0; change < LARGEST_CHANGES; change++) {
                    decide(bus, change % 2 == 0 ? new OpenPf(LARGEST, "nvme0") : new ClosePf(LARGEST, "nvme0"));
                    // Longer than the longest pacing of views (1 s, docs/http.md "Watches"; the largest
                    // card's view to 30 watchers costs more): one view per change.
                    TimeUnit.MILLISECONDS.sleep(1_100);
                }
                TimeUnit.SECONDS.sleep(1);
                held = memory();
            }
            await(() -> watcherGauge(bus) == 0, "the stalled watchers leaving");
            progress.accept("memory measured");
            double[] ratios = new double[ROUNDS];
            Arrays.setAll(ratios, round -> watched[round] / unwatched[round]);
            return new Result(commands, median(unwatched), watchers, median(watched), median(ratios), views, stalled,
                    viewBytes, held[0] - before[0], held[1] - before[1]);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Commands per second of one client to {@code card}: a VF opened with two vectors, then released,
     * round the card (an even number of commands leaves it as it was).
     */
    private static double rate(LocalBus bus, String card, int commands) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < commands; i++) {
            int slot = i / 2;
            String pf = "nvme" + (slot / CARD_VFS) % CARD_PFS;
            int vf = slot % CARD_VFS;
            decide(bus, i % 2 == 0 ? new AssignVectors(card, pf, vf, 2) : new ReleaseVectors(card, pf, vf));
        }
        return commands / ((System.nanoTime() - start) / 1e9);
    }

    private static void openReclaimed(LocalBus bus, String device, String pf, int vfs) throws Exception {
        decide(bus, new ProvisionPf(device, pf, Emulation.NVME, vfs, vfs * 16, 2, 32));
        decide(bus, new OpenPf(device, pf));
        decide(bus, new Reclaim(device, pf));
    }

    private static void decide(LocalBus bus, DeviceCommand command) throws Exception {
        if (!(bus.decide(command) instanceof Outcome.Accepted accepted) || accepted.duplicate()) {
            throw new IllegalStateException("the benchmark's command was not accepted: " + command);
        }
    }

    private static int watcherGauge(LocalBus bus) {
        try {
            return bus.watchers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited 120 s for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Heap in use after full collections, and direct memory in use (the JDK's buffers and Netty's own). */
    private static long[] memory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = Math.max(0, PlatformDependent.usedDirectMemory());
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct += pool.getMemoryUsed();
            }
        }
        return new long[] {heap, direct};
    }
}
