package io.msixpool.commands.bench;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.LogCheckpoints;
import io.msixpool.commands.store.StoreLocation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

/**
 * {@code msix bench --checkpoints STORE} (docs/benchmarks.md "Checkpoints"): on an existing store, over loopback HTTP to a {@code msix serve} in this process: how long the server takes to
 * start and to cover the whole log with a checkpoint, then {@code GET /v1/checkpoint}, consistency
 * and inclusion proofs against the newest checkpoint, and how soon after a command's answer a
 * checkpoint covers it. It writes to the store (a card of its own, checkpoints): run it on a copy.
 */
public final class CheckpointBench {
    private static final String CARD = "bench-checkpoint";

    private CheckpointBench() {
    }

    public static String run(StoreLocation store, Path tokensDir, int requests, Consumer<String> progress) throws Exception {
        StringBuilder report = new StringBuilder();
        long signedBefore;
        try (Engine reader = Engine.openReader(store)) {
            signedBefore = LogCheckpoints.storedNote(reader).map(note -> Long.parseLong(note.split("\n")[1])).orElse(0L);
        }
        long start = System.nanoTime();
        try (LocalBus bus = LocalBus.start(store, tokensDir)) {
            LogCheckpoints checkpoints = bus.engine().checkpoints().orElseThrow();
            long events = events(bus);
            report.append(String.format(Locale.ROOT, "server up (fleet rebuilt, the log's %,d events covered by a"
                    + " checkpoint, %,d of them signed now) in %.2f s%n", events, events - signedBefore,
                    (System.nanoTime() - start) / 1e9));
            progress.accept(report.toString().strip());
            long size = checkpoints.newest().checkpoint().size();
            Random random = new Random(13);
            report.append(FleetBench.line("GET /v1/checkpoint", times(bus, requests, i -> "/v1/checkpoint")));
            report.append(FleetBench.line("GET /v1/proof/consistency?from=(random)&to=" + size, times(bus, requests,
                    i -> "/v1/proof/consistency?from=" + (1 + (long) (random.nextDouble() * size)) + "&to=" + size)));
            report.append(FleetBench.line("GET /v1/proof/inclusion?index=(random)&size=" + size, times(bus, requests,
                    i -> "/v1/proof/inclusion?index=" + (long) (random.nextDouble() * size) + "&size=" + size)));
            progress.accept("reads measured; now how soon a checkpoint covers a command");
            report.append(FleetBench.line("command answered -> a checkpoint covers it", lag(bus, checkpoints, Math.max(10, requests / 20))));
        }
        return report.toString();
    }

    private interface Paths {
        String at(int request);
    }

    private static long[] times(LocalBus bus, int requests, Paths paths) throws Exception {
        for (int i = 0; i < Math.min(requests, 50); i++) {
            bus.get(paths.at(i)); // warm-up
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            String path = paths.at(i);
            long began = System.nanoTime();
            bus.get(path);
            nanos[i] = System.nanoTime() - began;
        }
        return nanos;
    }

    /** The bench's card opened and closed in turn: each answer, then the first checkpoint (polled every 5 ms) covering it. */
    private static long[] lag(LocalBus bus, LogCheckpoints checkpoints, int rounds) throws Exception {
        FleetBench.expect(FleetBench.post(bus, "/v1/commands", "{\"type\":\"ProvisionPf\",\"device\":\"" + CARD
                + "\",\"pf\":\"nvme0\",\"emulation\":\"NVME\",\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}"), 200, 422);
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            Thread.sleep(100);
            String type = i % 2 == 0 ? "OpenPf" : "ClosePf";
            var answer = FleetBench.post(bus, "/v1/commands", "{\"type\":\"" + type + "\",\"device\":\"" + CARD + "\",\"pf\":\"nvme0\"}");
            long answered = System.nanoTime();
            FleetBench.expect(answer, 200, 422);
            long events = events(bus);
            while (checkpoints.coveredSize(events) < events) {
                Thread.sleep(5);
            }
            nanos[i] = System.nanoTime() - answered;
        }
        return nanos;
    }

    private static long events(LocalBus bus) throws Exception {
        try (Connection connection = bus.engine().transactions().getConnection();
             Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM " + new EventSchema().domainEventTable())) {
            count.next();
            return count.getLong(1);
        }
    }
}
