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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code msix bench --watch} (issue 11): what pool watchers cost the engine and the memory.
 *
 * <p>Rate: one client sends commands over HTTP, one after the other, to a card of the fleet (4 PFs
 * of 128 VFs), first with nobody watching, then with {@code watchers} clients watching that very
 * card and reading every view. Memory: {@code stalled} watchers of the largest card the rules allow
 * (64 PFs of 4,096 VFs, a view of about 9 MB) that never read a byte, while the card changes a few
 * times; the heap (after a full collection) and the direct memory they hold, per watcher.
 */
public final class WatchBench {
    static final String CARD = "watched";
    static final String LARGEST = "largest";
    static final int CARD_PFS = 4;
    static final int CARD_VFS = 128;
    static final int LARGEST_PFS = 64;
    static final int LARGEST_VFS = 4_096;
    /** Changes of the largest card while its watchers stall, each in a poll of the watch feed of its own. */
    static final int LARGEST_CHANGES = 4;

    /** What one run measured; memory in bytes. */
    public record Result(int commands, double unwatchedPerSecond, int watchers, double watchedPerSecond,
                         long viewsReceived, int stalled, long largestViewBytes, long heapPerStalledWatcher,
                         long directPerStalledWatcher) {
        public double ratio() {
            return watchedPerSecond / unwatchedPerSecond;
        }

        public String table() {
            return String.format(Locale.ROOT, """
                    one client's commands over HTTP, %d per run, to a card of %d PFs x %d VFs:
                      no watcher             %8.0f commands/s
                      %4d reading watchers  %8.0f commands/s  (%.2f of unwatched; they got %,d views)
                    %d watchers of a card of %d PFs x %d VFs (a view of %,d bytes) that never read, after %d changes:
                      heap      %,14d bytes per watcher
                      direct    %,14d bytes per watcher
                    """, commands, CARD_PFS, CARD_VFS, unwatchedPerSecond, watchers, watchedPerSecond, ratio(),
                    viewsReceived, stalled, LARGEST_PFS, LARGEST_VFS, largestViewBytes, LARGEST_CHANGES,
                    heapPerStalledWatcher, directPerStalledWatcher);
        }
    }

    private WatchBench() {
    }

    public static Result run(Path root, int commands, int watchers, int stalled, Consumer<String> progress)
            throws Exception {
        StoreLocation store = StoreLocation.parse(Files.createTempDirectory(root, "watch-store").toString());
        try (LocalBus bus = LocalBus.start(store, Files.createTempDirectory(root, "tokens"))) {
            for (int pf = 0; pf < CARD_PFS; pf++) {
                openReclaimed(bus, CARD, "nvme" + pf, CARD_VFS);
            }
            int[] sent = {0};
            rate(bus, commands, sent); // warms the JIT up
            double unwatched = rate(bus, commands, sent);
            progress.accept(String.format(Locale.ROOT, "no watcher: %.0f commands/s", unwatched));
            double watched;
            long views;
            try (WatchClients reading = WatchClients.reading(bus.port(), bus.token(), CARD, watchers)) {
                await(() -> reading.fewestViews() >= 1, "every watcher's first view");
                long first = reading.allViews();
                watched = rate(bus, commands, sent);
                TimeUnit.MILLISECONDS.sleep(500); // the last change reaches the watchers within a poll of the feed
                views = reading.allViews() - first;
            }
            await(() -> watcherGauge(bus) == 0, "the watchers leaving");
            progress.accept(String.format(Locale.ROOT, "%d watchers: %.0f commands/s", watchers, watched));

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
                    TimeUnit.MILLISECONDS.sleep(400); // longer than the feed's poll: one view per change
                }
                TimeUnit.SECONDS.sleep(1);
                held = memory();
            }
            await(() -> watcherGauge(bus) == 0, "the stalled watchers leaving");
            progress.accept("memory measured");
            return new Result(commands, unwatched, watchers, watched, views, stalled, viewBytes,
                    (held[0] - before[0]) / stalled, (held[1] - before[1]) / stalled);
        }
    }

    /** Commands per second of one client: a VF opened with two vectors, then released, round the card. */
    private static double rate(LocalBus bus, int commands, int[] sent) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < commands; i++, sent[0]++) {
            int slot = sent[0] / 2;
            String pf = "nvme" + (slot / CARD_VFS) % CARD_PFS;
            int vf = slot % CARD_VFS;
            decide(bus, sent[0] % 2 == 0 ? new AssignVectors(CARD, pf, vf, 2) : new ReleaseVectors(CARD, pf, vf));
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
