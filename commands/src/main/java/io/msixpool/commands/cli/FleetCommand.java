package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.FleetFollower;
import io.msixpool.commands.wire.Json;
import io.msixpool.domain.Emulation;
import io.msixpool.projections.fleet.Fleet;
import io.msixpool.projections.fleet.FleetFilter;
import io.msixpool.projections.fleet.PfKey;
import io.msixpool.projections.fleet.PfSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Prints a summary of every PF of every device (docs/wire.md \"Fleet\"), in (device, pf) order,",
                "as GET /v1/pools answers it: {\"pools\":[...]} and, when --limit cut it short, \"next\" (give it",
                "to --after for the next page). It reads the store as it is now, beside a running server.",
                "",
                "Example: msix fleet --store ./store --emulation NVME --min-free 64 --table"})
final class FleetCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Option(names = "--emulation", paramLabel = "E", description = "only PFs of this emulation: ${COMPLETION-CANDIDATES}")
    Emulation emulation;

    @Option(names = "--min-free", paramLabel = "N", description = "only PFs with at least N free vectors")
    Integer minFree;

    @Option(names = "--open", paramLabel = "true|false", arity = "1", description = "only open (true) or closed (false) PFs")
    Boolean open;

    @Option(names = "--limit", paramLabel = "N", description = "at most N PFs (default: all)")
    Integer limit;

    @Option(names = "--after", paramLabel = "DEVICE/PF", description = "start after this PF (the \"next\" of a page)")
    String after;

    @Option(names = "--table", description = "a table for people instead of JSON")
    boolean table;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (minFree != null && minFree < 0 || limit != null && limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--min-free must be at least 0 and --limit at least 1");
        }
        PfKey start = after == null ? null : PfKey.parse(after);
        if (after != null) {
            if (start == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--after must be DEVICE/PF, not " + after);
            }
            Msix.requireId(spec, "--after's device", start.device());
            Msix.requireId(spec, "--after's pf", start.pf());
        }
        Fleet.Page page;
        try (Engine engine = store.openReader()) {
            page = FleetFollower.readNow(engine).page(new FleetFilter(emulation, minFree, open), start,
                    limit == null ? Integer.MAX_VALUE : limit);
        }
        spec.commandLine().getOut().println(table ? table(page) : Json.write(page));
        return 0;
    }

    private static String table(Fleet.Page page) {
        StringBuilder text = new StringBuilder(String.format("%-20s %-10s %-10s %-6s %-8s %8s %8s %8s %8s %6s %7s%n",
                "device", "pf", "emulation", "open", "msix", "total", "free", "linked", "stranded", "numVfs", "vfsOpen"));
        for (PfSummary pf : page.pools()) {
            text.append(String.format("%-20s %-10s %-10s %-6s %-8s %8d %8d %8d %8d %6d %7d%n", pf.device(), pf.pf(),
                    pf.emulation(), pf.open() ? "open" : "closed", pf.dynamicMsix() ? "dynamic" : "static",
                    pf.msixTotal(), pf.msixFree(), pf.msixLinked(), pf.msixStranded(), pf.numVfs(), pf.vfsOpen()));
        }
        text.append(page.pools().size()).append(page.pools().size() == 1 ? " PF" : " PFs");
        return page.next() == null ? text.toString() : text.append("; more after ").append(page.next()).toString();
    }
}
