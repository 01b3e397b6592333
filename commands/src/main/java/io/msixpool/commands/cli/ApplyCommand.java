package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.CommandReader;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.RejectionCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {
                "Decides commands from standard input, one result line each on standard output.",
                "",
                "Reads one JSON command per line (blank lines skipped) and writes its result line in order,",
                "flushed as soon as it is decided, and only after its events are committed: a process",
                "killed at any moment loses no acknowledged command. Resend unacknowledged commands with",
                "the same commandId to retry safely. Exits 0 when every line got a result, whatever the",
                "results; non-zero only when the engine itself fails."})
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "who is recorded as causing the events (default: cli:<user>)")
    String actor = "cli:" + System.getProperty("user.name", "unknown");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandReader reader = new CommandReader();
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Engine engine = store.open()) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                out.println(decide(engine, reader, line).toJsonLine());
                out.flush();
            }
        }
        return 0;
    }

    private Outcome decide(Engine engine, CommandReader reader, String line) {
        try {
            return engine.send(reader.read(line), actor);
        } catch (BadRequest bad) {
            return new Outcome.Rejected(RejectionCode.BAD_REQUEST, bad.getMessage());
        }
    }
}
