package io.msixpool.commands.cli;

import io.msixpool.commands.wire.Json;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a seeded, realistic command stream as JSON lines, ready for msix apply.",
                "",
                "A fleet of cards is brought up (provision, open, reclaim), then VMs come and go: VF",
                "controllers are created and destroyed, hosts toggle SR-IOV, operators reclaim, Arm",
                "complexes reboot, clients retry, and a share of commands is invalid on purpose.",
                "The same seed and sizes always give the same stream."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "20000", description = "commands to write (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--devices", defaultValue = "10", description = "cards in the fleet (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--pfs", defaultValue = "4", description = "PFs per card (default: ${DEFAULT-VALUE})")
    int pfs;

    @Option(names = "--vfs", defaultValue = "128", description = "VFs per PF (default: ${DEFAULT-VALUE})")
    int vfs;

    @Override
    public Integer call() throws Exception {
        WorkloadShape fleet = WorkloadShape.fleet(devices);
        WorkloadShape shape = new WorkloadShape(devices, pfs, vfs, fleet.invalidShare(), fleet.retryShare());
        Workload workload = new Workload(seed, shape, "dpu");
        PrintWriter out = Msix.bufferedStdout();
        for (int i = 0; i < count; i++) {
            out.println(Json.mapper().writeValueAsString(workload.next()));
        }
        out.flush();
        return out.checkError() ? Msix.ENGINE_FAILED : 0;
    }
}
