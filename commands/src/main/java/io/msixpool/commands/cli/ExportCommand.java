package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.EventLog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes the whole event log to standard output, one event per line.",
                "",
                "Events come in global order, each as it was stored, with its envelope: position,",
                "device sequence, timestamp, commandId, actor, the event's revision and the chain",
                "links prev and hash (docs/event-log.md). Check the chain: python3 docs/verify-chain.py LOG"})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
        PrintWriter out = Msix.bufferedStdout();
        try (Engine engine = store.openReader()) {
            EventLog.lines(engine).forEach(line -> out.println(line.toString()));
        }
        out.flush();
        return out.checkError() ? Msix.ENGINE_FAILED : 0;
    }
}
