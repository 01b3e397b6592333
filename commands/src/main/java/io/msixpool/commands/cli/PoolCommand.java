package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.wire.Json;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.projections.PoolView;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pool", mixinStandardHelpOptions = true,
        description = {"Prints a device's pool view (docs/wire.md) as JSON; exits 3 for an unknown device."})
final class PoolCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Option(names = "--device", required = true, paramLabel = "DEVICE", description = "the device id")
    String device;

    @Option(names = "--table", description = "a table for people instead of JSON")
    boolean table;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Msix.requireId(spec, "--device", device);
        try (Engine engine = store.openReader()) {
            Optional<PoolView> view = engine.pool(device);
            if (view.isEmpty()) {
                spec.commandLine().getOut().println(Outcome.Rejected.unknownDevice(device).toJsonLine());
                return Msix.UNKNOWN_DEVICE;
            }
            spec.commandLine().getOut().println(table
                    ? PoolTable.render(view.get())
                    : Json.write(view.get()));
        }
        return 0;
    }
}
