package io.msixpool.commands.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.bench.Bench;
import io.msixpool.commands.bench.CheckpointBench;
import io.msixpool.commands.bench.BenchPlot;
import io.msixpool.commands.bench.FleetBench;
import io.msixpool.commands.bench.ReplayRates.FileRates;
import io.msixpool.commands.bench.ReplayRates.StoreRate;
import io.msixpool.commands.bench.WatchBench;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.StoreLocation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
                "Measures msix-pool against a CRUD allocator and the disk's own fsync rate.",
                "",
                "The CRUD allocator keeps tables of PFs and VFs updated in place under SELECT ... FOR",
                "UPDATE and decides with the same rules. Both run on the same machine and store type,",
                "measured as accepted commands/s, events/s and latency at several client counts; then",
                "replay speed from the store and from an exported file beside the raw parse rate, peak",
                "heap and bytes per device. Prints a table and writes a JSON file and, beside it, an",
                "SVG plot of throughput against clients.",
                "",
                "Every contender gets the same generated stream (VM churn over many devices, some",
                "rejected commands, some retries); each device's commands go in order through one client.",
                "The watch contender measures how soon a pool watcher gets the view of a command after its",
                "answer: a watcher on the same node and, on PostgreSQL, one on a second node of the database.",
                "--quick is a smoke run (under a minute); docs/benchmarks.md holds a full run.",
                "",
                "--log FILE measures only replay and audit on an exported log (msix export): the raw",
                "streaming parse, the fold msix replay runs and the whole msix audit, in events/s.",
                "--replay-store STORE measures only how fast every pool is rebuilt from a store's events.",
                "--watch measures only what pool watchers cost: one client's command rate over HTTP",
                "without and with --watchers reading watchers of its card, and the memory --stalled",
                "watchers that never read hold on the largest card (docs/benchmarks.md).",
                "--fleet STORE measures only the fleet on an existing store (run it on a copy: it writes):",
                "its rebuild at start, GET /v1/pools and /v1/placements, a dry run beside the real decision,",
                "and how soon a fleet watch shows a commit (--commands requests of each, default 300).",
                "--checkpoints STORE measures only checkpoints on an existing store (a copy: it writes):",
                "covering the log, GET /v1/checkpoint, consistency and inclusion proofs, and how soon a",
                "checkpoint covers a command's events (--commands requests of each, default 300)."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "STORE",
            description = "a directory under which each run gets a fresh embedded store (default: a temporary "
                    + "directory), or a jdbc:postgresql:// URL (runs then share the database, each with its own devices)")
    String store;

    @Option(names = "--quick", description = "a smoke run: fewer commands per run")
    boolean quick;

    @Option(names = "--commands", paramLabel = "N", description = "commands per run (default: 20000, 400 with --quick; with --watch 500 per run)")
    Integer commands;

    @Option(names = "--clients", split = ",", paramLabel = "N[,N...]", defaultValue = "1,4,16,64",
            description = "client counts (default: ${DEFAULT-VALUE})")
    List<Integer> clients;

    @Option(names = "--contenders", split = ",", paramLabel = "NAME[,NAME...]", defaultValue = "engine,http,crud,watch",
            description = "which contenders run (default: ${DEFAULT-VALUE}); also signing: the engine while it signs"
                    + " checkpoints, as in msix serve (http signs them too)")
    List<String> contenders;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results.json",
            description = "where the JSON results go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--log", paramLabel = "FILE",
            description = "measure replay and audit on this exported log instead of running the contenders")
    Path log;

    @Option(names = "--replay-store", paramLabel = "STORE",
            description = "measure only the replay of every pool from this existing store (twice, the better run counts)")
    String replayStore;

    @Option(names = "--checkpoints", paramLabel = "STORE",
            description = "measure only checkpoints on this store (it writes to it; PostgreSQL: signed with a published bench key): covering the log,"
                    + " GET /v1/checkpoint, proofs, and how soon a checkpoint covers a command")
    String checkpoints;

    @Option(names = "--fleet", paramLabel = "STORE",
            description = "measure only the fleet's reads, placements, dry runs and watch on this store (it writes to it)")
    String fleet;

    @Option(names = "--watch", description = "measure only what pool watchers cost (rate and memory)")
    boolean watch;

    @Option(names = "--watchers", paramLabel = "N", defaultValue = "500",
            description = "with --watch: reading watchers of the client's card (default: ${DEFAULT-VALUE})")
    int watchers;

    @Option(names = "--stalled", paramLabel = "N", defaultValue = "30",
            description = "with --watch: watchers of the largest card that never read (default: ${DEFAULT-VALUE})")
    int stalled;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (log != null) {
            return onLog();
        }
        if (replayStore != null) {
            return onStore();
        }
        if (watch) {
            return onWatch();
        }
        if (fleet != null) {
            return onFleet();
        }
        if (checkpoints != null) {
            return onCheckpoints();
        }
        int perRun = commands != null ? commands : quick ? 400 : 20_000;
        // Made before the run, so that a path that cannot be written fails in a second, not after it.
        Files.createDirectories(out.toAbsolutePath().getParent());
        PrintWriter err = spec.commandLine().getErr();
        Bench bench = new Bench(store, perRun, clients, contenders, line -> {
            err.println(line);
            err.flush();
        });
        ObjectNode results = bench.run();
        Files.writeString(out, results.toPrettyString() + "\n");
        Path plot = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".svg");
        Files.writeString(plot, BenchPlot.svg(results));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(Bench.table(results));
        stdout.println("results: " + out.toAbsolutePath() + ", plot: " + plot.toAbsolutePath());
        stdout.flush();
        return 0;
    }

    private int onWatch() throws Exception {
        if (watchers < 1 || stalled < 1) {
            throw new ParameterException(spec.commandLine(), "--watchers and --stalled must be at least 1");
        }
        int perRun = commands != null ? commands : 500;
        if (perRun < 2 || perRun % 2 != 0) {
            // Each run opens VFs and releases them again, so that the next finds the card as it was.
            throw new ParameterException(spec.commandLine(), "--commands must be even with --watch (each VF opened is released)");
        }
        if (store != null && store.startsWith("jdbc:")) {
            throw new ParameterException(spec.commandLine(), "--watch runs on an embedded store: give a directory");
        }
        Path root = store == null ? Files.createTempDirectory("msix-bench") : Files.createDirectories(Path.of(store));
        PrintWriter err = spec.commandLine().getErr();
        WatchBench.Result result = WatchBench.run(root, perRun, watchers, stalled, line -> {
            err.println(line);
            err.flush();
        });
        spec.commandLine().getOut().print(result.table());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** A bench on an existing store that reports as it goes: {@code --fleet}, {@code --checkpoints}. */
    @FunctionalInterface
    private interface StoreBench {
        String run(StoreLocation store, Path tokensDir, int requests, Consumer<String> progress) throws Exception;
    }

    private int onFleet() throws Exception {
        return onExistingStore(fleet, FleetBench::run);
    }

    private int onCheckpoints() throws Exception {
        return onExistingStore(checkpoints, CheckpointBench::run);
    }

    private int onExistingStore(String store, StoreBench bench) throws Exception {
        StoreLocation location = StoreOption.parse(spec, store);
        PrintWriter err = spec.commandLine().getErr();
        String report = bench.run(location, Files.createTempDirectory("msix-bench-tokens"),
                commands != null ? commands : 300, line -> {
                    err.println(line);
                    err.flush();
                });
        spec.commandLine().getOut().print(report);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int onStore() {
        StoreLocation location = StoreOption.parse(spec, replayStore);
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = StoreOption.openReader(spec, location)) {
            StoreRate best = null;
            for (int run = 0; run < 2; run++) {
                StoreRate rate = StoreRate.of(engine);
                best = best == null || rate.perSecond() > best.perSecond() ? rate : best;
            }
            out.printf(Locale.ROOT, "%s: %,d events, %,d devices%n", replayStore, best.events(), best.pools().size());
            out.printf(Locale.ROOT, "  every pool rebuilt from the store's events  %,12.0f events/s  (%.1f s)%n",
                    best.perSecond(), best.events() / best.perSecond());
        }
        out.flush();
        return 0;
    }

    private int onLog() throws Exception {
        if (!Files.isRegularFile(log)) {
            throw new ParameterException(spec.commandLine(), "--log " + log + ": no such file");
        }
        PrintWriter out = spec.commandLine().getOut();
        FileRates rates = FileRates.of(log, true);
        out.printf(Locale.ROOT, "%s: %,d events, %,d devices%n", log.getFileName(), rates.events(), rates.pools().size());
        out.printf(Locale.ROOT, "  raw streaming parse (Jackson, 1 core)  %,12.0f events/s%n", rates.rawParsePerSecond());
        out.printf(Locale.ROOT, "  fold (msix replay)                     %,12.0f events/s  (%.2f of the raw parse)%n",
                rates.foldPerSecond(), rates.foldPerSecond() / rates.rawParsePerSecond());
        out.printf(Locale.ROOT, "  audit (msix audit)                     %,12.0f events/s  (%.1f s for this log)%n",
                rates.auditPerSecond(), rates.events() / rates.auditPerSecond());
        out.printf(Locale.ROOT, "  heap held by the pools                 %,12d bytes per device%n", rates.bytesPerDevice());
        out.flush();
        return 0;
    }
}
