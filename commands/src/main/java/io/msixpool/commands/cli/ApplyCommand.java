package io.msixpool.commands.cli;

import io.msixpool.commands.engine.DryRun;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.wire.BadRequest;
import io.msixpool.commands.wire.CommandReader;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.RejectionCode;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.replay.Envelope;
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
import picocli.CommandLine.ParameterException;
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

    @Spec
    CommandSpec spec;

    private String actor = defaultActor(System.getProperty("user.name", "unknown"));

    @Option(names = "--actor", paramLabel = "NAME",
            description = "who is recorded as causing the events: 1.." + Envelope.ACTOR_MAX_LENGTH
                    + " printable ASCII characters, no spaces (default: cli:<user>)")
    void actor(String name) {
        if (!Envelope.isActorName(name)) {
            throw new ParameterException(spec.commandLine(), "--actor must be 1.." + Envelope.ACTOR_MAX_LENGTH
                    + " printable ASCII characters (0x21..0x7E, no spaces), got \"" + name + "\"");
        }
        actor = name;
    }

    String actor() {
        return actor;
    }

    /** {@code cli:<user>} as an actor name: every character outside 0x21..0x7E replaced by {@code _}, at most 64. */
    static String defaultActor(String user) {
        return Envelope.actorNameOf("cli:" + user);
    }

    @Option(names = "--dry-run",
            description = "decide each line as it would be decided now, after the lines before it, and record"
                    + " nothing: each result gets \"dryRun\":true; the store is only read (a running serve may write it)")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        CommandReader reader = new CommandReader();
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (dryRun) {
            try (Engine engine = store.openReader()) {
                tryAll(engine.dryRun(), reader, in, out);
            }
            return 0;
        }
        try (Engine engine = store.openWriter()) {
            for (List<String> lines = nextLines(in); !lines.isEmpty(); lines = nextLines(in)) {
                decideInOrder(engine, reader, lines, out);
            }
        }
        return 0;
    }

    /**
     * Decides the lines in order, committing runs of commands as groups, and writes and flushes each
     * group's results before anything after it is decided (see {@link Engine#decideInGroups}).
     */
    private void decideInOrder(Engine engine, CommandReader reader, List<String> lines, PrintWriter out) {
        List<DeviceCommand> run = new ArrayList<>();
        for (String line : lines) {
            try {
                run.add(reader.read(line));
            } catch (BadRequest bad) {
                decideAll(engine, run, out);
                run.clear();
                write(out, List.of(new Outcome.Rejected(RejectionCode.BAD_REQUEST, bad.getMessage())));
            }
        }
        decideAll(engine, run, out);
    }

    private void decideAll(Engine engine, List<DeviceCommand> commands, PrintWriter out) {
        engine.decideInGroups(commands, actor, outcomes -> write(out, outcomes));
    }

    /** A dry run of every line, one result each, in order, against the state the lines before it left. */
    private static void tryAll(DryRun run, CommandReader reader, BufferedReader in, PrintWriter out) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            Outcome outcome;
            try {
                outcome = run.tryCommand(reader.read(line));
            } catch (BadRequest bad) {
                outcome = new Outcome.Rejected(RejectionCode.BAD_REQUEST, bad.getMessage());
            }
            out.println(outcome.toDryRunJsonLine());
            out.flush();
        }
    }

    /** Nothing more is decided once results can no longer reach the client. */
    private static void write(PrintWriter out, List<Outcome> outcomes) {
        outcomes.forEach(outcome -> out.println(outcome.toJsonLine()));
        out.flush();
        if (out.checkError()) {
            throw new IllegalStateException("standard output is closed; stopped before deciding more commands");
        }
    }

    /**
     * The next line, blocking, plus every further line already waiting, as many as share one commit:
     * a client that sends one line and waits gets its answer at once, a bulk stream is committed in groups.
     */
    private static List<String> nextLines(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while (lines.size() < Engine.MAX_GROUP && (line = in.readLine()) != null) {
            if (!line.isBlank()) {
                lines.add(line);
            }
            if (!lines.isEmpty() && !in.ready()) {
                break;
            }
        }
        return lines;
    }
}
