package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.EventLog;
import io.msixpool.replay.EventLogFormat;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes the whole event log to standard output, one event per line.",
                "",
                "Events come in global order, each with its envelope: position, device sequence,",
                "timestamp, commandId and actor (docs/event-log.md)."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
        PrintWriter out = new PrintWriter(new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        try (Engine engine = store.open()) {
            EventLog.read(engine).forEach(logged -> out.println(EventLogFormat.write(logged)));
        }
        out.flush();
        return out.checkError() ? Msix.ENGINE_FAILED : 0;
    }
}
