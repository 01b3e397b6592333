package io.msixpool.commands.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Json;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** One benchmark run of issue 6: the contenders at each client count, the fsync probe, replay and memory. */
public final class Bench {
    /** Enough devices that 64 clients each own one; the fleet card of design.md (4 PFs x 128 VFs). */
    static final int DEVICES = 128;
    static final long SEED = 6;
    /** The watch-latency contender ({@link WatchLatency}): not a load run, a latency of its own. */
    static final String WATCH = "watch";
    /** Commands of the untimed run before each contender's measured runs. */
    static final int WARM_UP = 6_000;

    private final String store;
    private final int commands;
    private final List<Integer> clients;
    private final List<String> contenders;
    private final Consumer<String> progress;
    private int runs;
    /**
     * Names this invocation's devices apart from an earlier one's on the same PostgreSQL database:
     * a second bench there would otherwise meet the devices the first provisioned, and have most of
     * its commands refused.
     */
    private final String invocation = "b" + Long.toString(System.currentTimeMillis(), 36) + ".";
    private String firstPrefix;

    public Bench(String store, int commands, List<Integer> clients, List<String> contenders, Consumer<String> progress) {
        this.store = store;
        this.commands = commands;
        this.clients = clients;
        this.contenders = contenders;
        this.progress = progress;
        for (String name : contenders) {
            if (!List.of("engine", "signing", "http", "crud", WATCH).contains(name)) {
                throw new IllegalArgumentException("unknown contender " + name + ": use engine, signing, http, crud, watch");
            }
        }
    }

    public ObjectNode run() throws Exception {
        Path root = store == null || store.startsWith("jdbc:") ? Files.createTempDirectory("msix-bench")
                : Files.createDirectories(Path.of(store));
        ObjectNode results = Json.mapper().createObjectNode();
        results.set("machine", machine());
        results.put("store", store != null && store.startsWith("jdbc:") ? "postgresql" : "embedded SQLite");
        results.put("commandsPerRun", commands);
        double fsyncs = FsyncProbe.syncsPerSecond(root, 2.0);
        results.put("fsyncPerSecond", Math.round(fsyncs));
        progress.accept(String.format(Locale.ROOT, "fsync probe: %.0f syncs/s in %s", fsyncs, root));

        ArrayNode loads = results.putArray("load");
        for (String name : contenders) {
            if (name.equals(WATCH)) {
                continue;
            }
            warmUp(name, root);
            for (int count : clients) {
                String prefix = invocation + (++runs) + "-";
                firstPrefix = firstPrefix == null ? prefix : firstPrefix;
                List<DeviceCommand> stream = Workload.generate(SEED, WorkloadShape.fleet(DEVICES), commands)
                        .stream().map(command -> renamed(command, prefix)).toList();
                StoreLocation location = location(root, prefix);
                try (Contender contender = open(name, location, root)) {
                    LoadRun.Result result = LoadRun.run(contender, stream, count);
                    agreeing(loads, result);
                    loads.add(Json.mapper().valueToTree(result));
                    progress.accept(String.format(Locale.ROOT, "%-6s %2d clients: %7.0f accepted/s, p99 %6.1f ms, %5.0f us CPU/command",
                            name, count, result.acceptedPerSecond(), result.p99() / 1000.0, result.cpuMicrosPerCommand()));
                }
            }
        }
        if (contenders.contains(WATCH)) {
            watchLatency(results, root);
        }
        if (firstPrefix != null) {
            replay(results, location(root, firstPrefix));
        }
        results.put("peakHeapBytes", peakHeap());
        results.put("finished", Instant.now().toString());
        return results;
    }

    /**
     * An untimed run of the contender first, on devices of its own: the first measured run (one
     * client) otherwise paid for the JIT compiling the contender's code, which the contenders after
     * the first partly found compiled already (the rules, Jackson), and the one-client ratio compared
     * a cold engine with a warm CRUD allocator.
     */
    private void warmUp(String name, Path root) throws Exception {
        String prefix = invocation + "warm-" + name + "-";
        List<DeviceCommand> stream = Workload.generate(SEED + 1, WorkloadShape.fleet(DEVICES), Math.min(commands, WARM_UP))
                .stream().map(command -> renamed(command, prefix)).toList();
        try (Contender contender = open(name, location(root, prefix), root)) {
            LoadRun.run(contender, stream, 4);
        }
    }

    /**
     * Every run decides the same stream with the same rules in the same per-device order, so every
     * contender at every client count must accept the same commands: a run that does not measured
     * something else, and its figures would be worthless.
     */
    private static void agreeing(ArrayNode earlier, LoadRun.Result result) {
        for (JsonNode run : earlier) {
            if (run.get("accepted").asInt() != result.accepted() || run.get("events").asLong() != result.events()) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s at %d clients accepted %d commands with %d events, but %s at %d clients %d with %d",
                        result.contender(), result.clients(), result.accepted(), result.events(),
                        run.get("contender").asText(), run.get("clients").asInt(), run.get("accepted").asInt(),
                        run.get("events").asLong()));
            }
        }
    }

    private void replay(ObjectNode results, StoreLocation location) throws Exception {
        try (Engine engine = Engine.open(location)) {
            ReplayRates.Result replay = ReplayRates.measure(engine, Files.createTempFile("msix-bench-export", ".jsonl"));
            results.set("replay", Json.mapper().valueToTree(replay));
            progress.accept(String.format(Locale.ROOT, "replay of %d events: store %.0f/s, file %.0f/s, raw parse %.0f/s",
                    replay.events(), replay.fromStorePerSecond(), replay.fromFilePerSecond(), replay.rawParsePerSecond()));
        }
    }

    /** Answer-to-view latency of pool watchers (issue 14): fewer changes in a smoke run, as it has fewer commands. */
    private void watchLatency(ObjectNode results, Path root) throws Exception {
        String prefix = invocation + (++runs) + "-";
        int changes = Math.max(30, Math.min(200, commands / 100));
        ArrayNode watch = results.putArray("watchLatency");
        for (WatchLatency.Result result : WatchLatency.measure(location(root, prefix), root, prefix, changes, progress)) {
            watch.add(Json.mapper().valueToTree(result));
        }
    }

    private StoreLocation location(Path root, String prefix) {
        return store != null && store.startsWith("jdbc:") ? StoreLocation.parse(store)
                : StoreLocation.parse(root.resolve(prefix + "store").toString());
    }

    private static Contender open(String name, StoreLocation location, Path root) throws Exception {
        return switch (name) {
            case "engine" -> Contenders.engine(location);
            case "signing" -> Contenders.signing(location);
            case "http" -> Contenders.http(location, Files.createTempDirectory(root, "tokens"));
            default -> Contenders.crud(location);
        };
    }

    /** The same command for another device name, so runs sharing one PostgreSQL database never meet. */
    private static DeviceCommand renamed(DeviceCommand command, String prefix) {
        ObjectNode json = Json.mapper().valueToTree(command);
        json.put("device", prefix + command.device());
        try {
            return Json.mapper().treeToValue(json, DeviceCommand.class);
        } catch (Exception e) {
            throw new IllegalStateException("cannot rename " + command, e);
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static ObjectNode machine() {
        ObjectNode machine = Json.mapper().createObjectNode();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return machine;
    }

    /** The results as a table for people. */
    public static String table(JsonNode results) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "store: %s, %d commands per run, disk fsync: %d/s%n",
                results.get("store").asText(), results.get("commandsPerRun").asInt(), results.get("fsyncPerSecond").asLong()));
        text.append(String.format(Locale.ROOT, "%-8s %7s %12s %10s %9s %9s %9s %10s%n",
                "contender", "clients", "accepted/s", "events/s", "p50 ms", "p99 ms", "p99.9 ms", "CPU us/cmd"));
        for (JsonNode run : results.get("load")) {
            double seconds = run.get("seconds").asDouble();
            text.append(String.format(Locale.ROOT, "%-8s %7d %12.0f %10.0f %9.2f %9.2f %9.2f %10.0f%n",
                    run.get("contender").asText(), run.get("clients").asInt(), run.get("accepted").asInt() / seconds,
                    run.get("events").asLong() / seconds, run.get("p50").asLong() / 1000.0,
                    run.get("p99").asLong() / 1000.0, run.get("p999").asLong() / 1000.0,
                    run.path("cpuMicrosPerCommand").asDouble()));
        }
        for (JsonNode watch : results.path("watchLatency")) {
            text.append(String.format(Locale.ROOT, "watch, %s: answer to view p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d changes)%n",
                    watch.get("watcher").asText(), watch.get("p50").asLong() / 1000.0, watch.get("p99").asLong() / 1000.0,
                    watch.get("max").asLong() / 1000.0, watch.get("changes").asInt()));
        }
        JsonNode replay = results.get("replay");
        if (replay == null) {
            return text.toString();
        }
        text.append(String.format(Locale.ROOT, "replay of %d events over %d devices: from store %.0f events/s, "
                        + "from file %.0f events/s, raw parse %.0f events/s%n",
                replay.get("events").asLong(), replay.get("devices").asInt(), replay.get("fromStorePerSecond").asDouble(),
                replay.get("fromFilePerSecond").asDouble(), replay.get("rawParsePerSecond").asDouble()));
        text.append(String.format(Locale.ROOT, "memory: peak heap %d MiB, %d bytes per device in memory%n",
                results.get("peakHeapBytes").asLong() >> 20, replay.get("bytesPerDevice").asLong()));
        return text.toString();
    }
}
