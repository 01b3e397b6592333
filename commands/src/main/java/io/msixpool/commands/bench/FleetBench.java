package io.msixpool.commands.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.msixpool.commands.engine.FleetFollower;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code msix bench --fleet STORE} (docs/benchmarks.md "Fleet"): on an existing store, how long the
 * fleet takes to rebuild at start, then over loopback HTTP to a {@code msix serve} in this process:
 * the first page of {@code GET /v1/pools?minFree=}, {@code GET /v1/placements}, a dry run against the
 * real decision of the same command, and how soon a fleet watch shows a commit of this node. It
 * writes to the store (VFs assigned, a device of its own): run it on a copy.
 */
public final class FleetBench {
    private static final String CARD = "bench-fleet-watch";

    private FleetBench() {
    }

    public static String run(StoreLocation store, Path tokensDir, int requests, Consumer<String> progress) throws Exception {
        StringBuilder report = new StringBuilder();
        try (LocalBus bus = LocalBus.start(store, tokensDir)) {
            FleetFollower.Rebuilt rebuilt = bus.engine().fleet().rebuilt();
            report.append(String.format(Locale.ROOT, "fleet rebuilt at start: %,d events, %,d PFs in %.2f s (%,.0f events/s)%n",
                    rebuilt.events(), rebuilt.pfs(), rebuilt.took().toNanos() / 1e9,
                    rebuilt.events() / Math.max(1e-9, rebuilt.took().toNanos() / 1e9)));
            progress.accept(report.toString().strip());
            report.append(line("GET /v1/pools?minFree=64&limit=100 (first page)", times(bus, "/v1/pools?minFree=64&limit=100", requests)));
            report.append(line("GET /v1/pools?minFree=2000&limit=100 (few match)", times(bus, "/v1/pools?minFree=2000&limit=100", requests)));
            report.append(line("GET /v1/placements?msix=16", times(bus, "/v1/placements?msix=16", requests)));
            report.append(line("GET /v1/placements?msix=16&emulation=VIRTIO_BLK",
                    times(bus, "/v1/placements?msix=16&emulation=VIRTIO_BLK", requests)));
            progress.accept("reads measured; now dry runs against real decisions");
            long[][] decisions = dryAndReal(bus, requests);
            report.append(line("POST /v1/commands?dryRun=true (AssignVectors)", decisions[0]));
            report.append(line("POST /v1/commands, the same command for real", decisions[1]));
            progress.accept("now the fleet watch");
            long[][] watch = watchLatency(bus, Math.max(20, requests / 10));
            report.append(line("fleet watch: command sent -> its summary received", watch[0]));
            report.append(line("fleet watch: command answered -> its summary received", watch[1]));
        }
        return report.toString();
    }

    private static long[] times(LocalBus bus, String path, int requests) throws Exception {
        for (int i = 0; i < Math.min(requests, 50); i++) {
            bus.get(path); // warm-up
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            bus.get(path);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    /** For each of {@code rounds} placements: the first candidate's command tried, then sent for real. */
    private static long[][] dryAndReal(LocalBus bus, int rounds) throws Exception {
        long[] dry = new long[rounds];
        long[] real = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            JsonNode placements = Json.mapper().readTree(bus.get("/v1/placements?msix=2&limit=1")).path("placements");
            if (placements.isEmpty()) {
                throw new IllegalStateException("no PF takes 2 vectors any more: use a larger fleet or fewer --commands");
            }
            String command = placements.get(0).path("command").toString();
            long start = System.nanoTime();
            expect(post(bus, "/v1/commands?dryRun=true", command), 200);
            dry[i] = System.nanoTime() - start;
            start = System.nanoTime();
            expect(post(bus, "/v1/commands", command), 200);
            real[i] = System.nanoTime() - start;
        }
        return new long[][] {dry, real};
    }

    /**
     * A card of the bench's own, opened and closed in turn, with a watch of closed PFs: each change
     * enters or leaves the filter, so each is sent; 150 ms apart, so that no change is coalesced with another.
     */
    private static long[][] watchLatency(LocalBus bus, int rounds) throws Exception {
        expect(post(bus, "/v1/commands", "{\"type\":\"ProvisionPf\",\"device\":\"" + CARD + "\",\"pf\":\"nvme0\","
                + "\"emulation\":\"NVME\",\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}"), 200, 422);
        BlockingQueue<long[]> received = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = bus.client().send(bus.request("/v1/pools/watch?open=false").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                stream.body().forEach(line -> {
                    if (line.startsWith("data:") && line.contains("\"" + CARD + "\"")) {
                        received.add(new long[] {System.nanoTime(), line.contains("\"open\":true") ? 1 : 0});
                    }
                });
            } catch (java.io.UncheckedIOException closed) {
                // the bench closed the stream: done
            }
        });
        try {
            boolean open = isOpen(bus);
            long[] fromSent = new long[rounds];
            long[] fromAnswer = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                Thread.sleep(150);
                received.clear();
                String type = open ? "ClosePf" : "OpenPf";
                long sent = System.nanoTime();
                expect(post(bus, "/v1/commands", "{\"type\":\"" + type + "\",\"device\":\"" + CARD + "\",\"pf\":\"nvme0\"}"), 200);
                long answered = System.nanoTime();
                open = !open;
                long[] frame;
                do {
                    frame = received.poll(10, TimeUnit.SECONDS);
                    if (frame == null) {
                        throw new IllegalStateException("the fleet watch did not show " + type + " within 10 s");
                    }
                } while (frame[1] != (open ? 1 : 0));
                fromSent[i] = frame[0] - sent;
                fromAnswer[i] = frame[0] - answered;
            }
            return new long[][] {fromSent, fromAnswer};
        } finally {
            stream.body().close();
            reader.interrupt();
        }
    }

    private static boolean isOpen(LocalBus bus) throws Exception {
        JsonNode pools = Json.mapper().readTree(bus.get("/v1/pools?after=" + CARD.substring(0, CARD.length() - 1) + "/z&limit=1000"));
        for (JsonNode pf : pools.path("pools")) {
            if (pf.path("device").asText().equals(CARD)) {
                return pf.path("open").asBoolean();
            }
        }
        throw new IllegalStateException("the bench's card is not in the fleet");
    }

    static HttpResponse<String> post(LocalBus bus, String path, String body) throws Exception {
        return bus.client().send(bus.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void expect(HttpResponse<String> response, int... statuses) {
        if (Arrays.stream(statuses).noneMatch(status -> status == response.statusCode())) {
            throw new IllegalStateException(response.request().uri() + ": HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    static String line(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "  %-58s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d)%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                sorted[sorted.length - 1] / 1e6, sorted.length);
    }
}
