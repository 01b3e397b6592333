package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.CommandReader;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.RejectionCode;
import io.msixpool.domain.command.DeviceCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    /** At most this many waiting lines share one commit. */
    private static final int MAX_GROUP = 256;

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
            for (List<String> lines = nextLines(in); !lines.isEmpty(); lines = nextLines(in)) {
                for (Outcome outcome : decide(engine, reader, lines)) {
                    out.println(outcome.toJsonLine());
                }
                out.flush();
            }
        }
        return 0;
    }

    /**
     * The next line, blocking, plus every further line already waiting: a client that sends one
     * line and waits gets its answer at once, a bulk stream is committed in groups.
     */
    private static List<String> nextLines(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while (lines.size() < MAX_GROUP && (line = in.readLine()) != null) {
            if (!line.isBlank()) {
                lines.add(line);
            }
            if (!lines.isEmpty() && !in.ready()) {
                break;
            }
        }
        return lines;
    }

    private List<Outcome> decide(Engine engine, CommandReader reader, List<String> lines) {
        Outcome[] outcomes = new Outcome[lines.size()];
        List<DeviceCommand> commands = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                commands.add(reader.read(lines.get(i)));
                positions.add(i);
            } catch (BadRequest bad) {
                outcomes[i] = new Outcome.Rejected(RejectionCode.BAD_REQUEST, bad.getMessage());
            }
        }
        List<Outcome> decided = engine.sendAll(commands, actor);
        for (int k = 0; k < decided.size(); k++) {
            outcomes[positions.get(k)] = decided.get(k);
        }
        return List.of(outcomes);
    }
}
