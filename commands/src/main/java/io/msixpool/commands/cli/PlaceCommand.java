package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.FleetFollower;
import io.msixpool.commands.wire.Json;
import io.msixpool.domain.Emulation;
import io.msixpool.projections.fleet.Fleet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "place", mixinStandardHelpOptions = true,
        description = {"Prints where an AssignVectors of --msix vectors would be accepted now, as GET /v1/placements",
                "answers it: {\"placements\":[...]}, best fit first (the smallest free pool that fits, then the",
                "fewest stranded vectors; docs/wire.md \"Placements\"), each with the command to send.",
                "",
                "Example: msix place --store ./store --emulation NVME --msix 16 | jq -c '.placements[0].command'"})
final class PlaceCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Option(names = "--emulation", paramLabel = "E", description = "only PFs of this emulation: ${COMPLETION-CANDIDATES}")
    Emulation emulation;

    @Option(names = "--msix", required = true, paramLabel = "N", description = "the vectors the VF is to get (1..2048)")
    int msix;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "at most N candidates (default: ${DEFAULT-VALUE})")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (msix < 1 || msix > 2048 || limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--msix must be 1..2048 and --limit at least 1");
        }
        try (Engine engine = store.openReader()) {
            Fleet fleet = FleetFollower.readNow(engine);
            spec.commandLine().getOut().println(Json.write(new Fleet.Placements(fleet.placements(emulation, msix, limit))));
        }
        return 0;
    }
}
