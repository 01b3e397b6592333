package io.msixpool.commands.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Json;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The bench's watch-latency contender (issue 14): how long after a command's answer its pool watcher
 * receives the view that shows it. One client sends commands over HTTP to a node, one at a time, to
 * a card of its own (a VF assigned two vectors, then released, so each view differs from the one
 * before); a watcher of the card on the same node and, on PostgreSQL, one on a second node (an
 * engine and server of their own on the same database) read every view. Each next command goes
 * 0 to 20 ms after both showed the last one: a fresh change, never a burst that views may coalesce.
 */
final class WatchLatency {
    static final String SAME_NODE = "same node";
    static final String OTHER_NODE = "other node";
    private static final int VFS = 4;
    private static final int MSIX_TOTAL = 64;
    /** Changes not counted: the JIT, and the class loading whose collections (Metadata GC Threshold) pause a young JVM. */
    private static final int WARM_UP = 50;
    /** A view not received this long after its answer fails the run: the watch is broken, not slow. */
    private static final long GIVE_UP_SECONDS = 30;

    /** Answer-to-view latency of one watcher, in microseconds. */
    record Result(String watcher, int changes, long p50, long p99, long max) {
        static Result of(String watcher, long[] micros) {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            int p99 = (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1);
            return new Result(watcher, sorted.length, sorted[sorted.length / 2], sorted[p99], sorted[sorted.length - 1]);
        }

        String line() {
            return String.format(Locale.ROOT, "watch    %-10s answer to view: p50 %7.2f ms, p99 %7.2f ms, max %7.2f ms (%d changes)",
                    watcher, p50 / 1000.0, p99 / 1000.0, max / 1000.0, changes);
        }
    }

    private WatchLatency() {
    }

    /** Measures {@code changes} changes of a card named {@code prefix + "watched"} on {@code store}. */
    static List<Result> measure(StoreLocation store, Path root, String prefix, int changes, Consumer<String> progress)
            throws Exception {
        String card = prefix + "watched";
        try (LocalBus node = LocalBus.start(store, Files.createTempDirectory(root, "tokens"));
             LocalBus other = store.sharedByProcesses() ? LocalBus.start(store, Files.createTempDirectory(root, "tokens")) : null) {
            decide(node, new ProvisionPf(card, "nvme0", Emulation.NVME, VFS, MSIX_TOTAL, 2, 32));
            decide(node, new OpenPf(card, "nvme0"));
            decide(node, new Reclaim(card, "nvme0"));
            List<Watcher> watchers = new ArrayList<>();
            try {
                watchers.add(new Watcher(SAME_NODE, node, card));
                if (other != null) {
                    watchers.add(new Watcher(OTHER_NODE, other, card));
                }
                for (Watcher watcher : watchers) {
                    watcher.awaitFree(MSIX_TOTAL, System.nanoTime());
                }
                Random pauses = new Random(14);
                long[][] micros = new long[watchers.size()][changes];
                for (int i = 0; i < WARM_UP + changes; i++) {
                    TimeUnit.MICROSECONDS.sleep(pauses.nextInt(20_000));
                    int vf = i / 2 % VFS;
                    boolean assign = i % 2 == 0;
                    decide(node, assign ? new AssignVectors(card, "nvme0", vf, 2) : new ReleaseVectors(card, "nvme0", vf));
                    long answered = System.nanoTime();
                    for (int w = 0; w < watchers.size(); w++) {
                        long received = watchers.get(w).awaitFree(assign ? MSIX_TOTAL - 2 : MSIX_TOTAL, answered);
                        if (i >= WARM_UP) {
                            micros[w][i - WARM_UP] = Math.max(0, received - answered) / 1000;
                        }
                    }
                }
                List<Result> results = new ArrayList<>();
                for (int w = 0; w < watchers.size(); w++) {
                    results.add(Result.of(watchers.get(w).name, micros[w]));
                    progress.accept(results.get(w).line());
                }
                return results;
            } finally {
                watchers.forEach(Watcher::close);
            }
        }
    }

    /** A pool watch over loopback HTTP, its views queued with the time each arrived. */
    private static final class Watcher {
        record View(long received, int msixFree) {
        }

        final String name;
        private final HttpResponse<Stream<String>> stream;
        private final BlockingQueue<View> views = new LinkedBlockingQueue<>();

        Watcher(String name, LocalBus bus, String card) throws Exception {
            this.name = name;
            this.stream = bus.client().send(bus.request("/v1/devices/" + card + "/pool/watch").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            if (stream.statusCode() != 200) {
                throw new IllegalStateException("the watch of " + card + " answered HTTP " + stream.statusCode());
            }
            Thread.ofPlatform().daemon().name("bench-watch-latency").start(this::read);
        }

        private void read() {
            try {
                stream.body().forEach(line -> {
                    if (line.startsWith("data:")) {
                        long received = System.nanoTime();
                        views.add(new View(received, freeVectors(line.substring("data:".length()))));
                    }
                });
            } catch (UncheckedIOException closed) {
                // the bench closed the stream: done
            }
        }

        private static int freeVectors(String view) {
            try {
                return Json.mapper().readTree(view).path("pfs").path(0).path("msixFree").asInt(-1);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a watch sent a view that is not JSON: " + view, e);
            }
        }

        /** When the view showing {@code msixFree} free vectors arrived; views before it are skipped. */
        long awaitFree(int msixFree, long since) throws InterruptedException {
            while (true) {
                long left = since + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS) - System.nanoTime();
                View view = views.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (view == null) {
                    throw new IllegalStateException("the " + name + " watcher got no view with " + msixFree
                            + " free vectors within " + GIVE_UP_SECONDS + " s");
                }
                if (view.msixFree() == msixFree) {
                    return view.received();
                }
            }
        }

        void close() {
            stream.body().close();
        }
    }

    private static void decide(LocalBus bus, DeviceCommand command) throws Exception {
        if (!(bus.decide(command) instanceof Outcome.Accepted accepted) || accepted.duplicate()) {
            throw new IllegalStateException("the benchmark's command was not accepted: " + command);
        }
    }
}
