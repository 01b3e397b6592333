package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.CommandReader;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.fixtures.CanonicalScenario;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the canonical scenario on a store and shows the pools.",
                "",
                "A BlueField card (bf3-a) with 125 VFs per PF is provisioned, opened with dynamic MSI-X,",
                "reclaimed, and given VF controllers of sizes that do and do not fit; each command's",
                "outcome is printed, then the pools as a table. The store is a new temporary one, or",
                "--store DIR, where msix pool, apply, history and export can go on from it."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "DIR",
            description = "where to keep the demo's store (default: a new temporary directory)")
    Path store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path directory = store != null ? store : Files.createTempDirectory("msix-demo-");
        out.println("msix demo: canonical scenario on the embedded store in " + directory);
        out.println();
        CommandReader reader = new CommandReader();
        List<String> lines = CanonicalScenario.lines();
        try (Engine engine = Engine.open(StoreLocation.parse(directory.toString()))) {
            for (int i = 0; i < lines.size(); i++) {
                Outcome outcome = engine.send(reader.read(lines.get(i)), "demo");
                out.printf("%3d  %-24s %s%n", i + 1, summary(outcome), lines.get(i));
            }
            out.println();
            out.println(PoolTable.render(engine.pool(CanonicalScenario.DEVICE).orElseThrow()));
        } catch (BadRequest impossible) {
            throw new IllegalStateException("the canonical scenario has a malformed line", impossible);
        }
        out.println();
        out.println("Look again: msix pool --store " + directory + " --device " + CanonicalScenario.DEVICE
                + "   |   the history: msix export --store " + directory);
        return 0;
    }

    private static String summary(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Accepted a when a.duplicate() -> "ok (duplicate)";
            case Outcome.Accepted a -> "ok, " + a.events().size() + " event" + (a.events().size() == 1 ? "" : "s");
            case Outcome.Rejected r -> r.code().name();
        };
    }
}
