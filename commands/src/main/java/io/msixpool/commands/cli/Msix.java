package io.msixpool.commands.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.msixpool.commands.store.StoreInUse;
import io.msixpool.domain.Shape;
import io.msixpool.replay.JsonProblem;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;

@Command(name = "msix", mixinStandardHelpOptions = true, version = "msix-pool 0.1.0",
        description = {
                "The system of record for MSI-X vectors on DPUs.",
                "",
                "Every decision is an event, the pools are a fold of those events, and nothing",
                "acknowledged is ever lost. Try: msix demo",
                "",
                "--store names the event store: a directory of the embedded store (apply, serve and",
                "import create it where missing) or a jdbc:postgresql:// URL. An acknowledged command",
                "is on stable storage on either: it survives a crash and a power cut."},
        subcommands = {ServeCommand.class, TokenCommand.class, KeyCommand.class, CheckpointCommand.class, ApplyCommand.class, PoolCommand.class, HistoryCommand.class,
                ReplayCommand.class, AuditCommand.class, VerifyConsistencyCommand.class,
                ExportCommand.class, ImportCommand.class, BenchCommand.class, DemoCommand.class, GenerateCommand.class,
                FleetCommand.class, PlaceCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok; 1 the engine failed (audit, import: findings; verify-consistency: NEW does not",
                "extend OLD); 2 bad usage (import: STORE",
                "already holds events); 3 unknown device (pool, history, replay), unknown PF or VF (history), or",
                "unknown token name (token revoke)."})
public final class Msix implements Runnable {
    static final int ENGINE_FAILED = 1;
    static final int UNKNOWN_DEVICE = 3;

    @CommandLine.Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Msix());
        // The descriptions are written in lines of up to 90 characters; picocli's default of 80
        // would wrap each of them in the middle.
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler((failure, command, parsed) -> {
            command.getErr().println("msix: " + describe(failure));
            if (failure instanceof StoreInUse) {
                return ENGINE_FAILED; // the message says all there is: who writes the store
            }
            if (System.getenv("MSIX_DEBUG") != null) {
                failure.printStackTrace(command.getErr());
            } else {
                command.getErr().println("msix: set MSIX_DEBUG=1 for the full stack trace");
            }
            return ENGINE_FAILED;
        });
        return cli;
    }

    /** Every cause's message, or its type where it has none, joined: "what failed: because ...". */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(text.isEmpty() ? "" : ": ").append(message(cause));
        }
        return text.toString();
    }

    /** Refuses, as a usage error (exit 2), an id option that docs/wire.md's shape of ids does not allow. */
    static void requireId(CommandSpec spec, String option, String value) {
        String problem = value == null ? null : Shape.whyNotId(option, value);
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
    }

    /**
     * A file error's message is often the bare path: say what went wrong with it. Jackson's names its
     * own classes and features and ends in "Source: REDACTED": say what is wrong with the text.
     */
    private static String message(Throwable cause) {
        if (cause instanceof JsonProcessingException json) {
            return JsonProblem.of(json);
        }
        if (cause instanceof FileSystemException file && file.getReason() == null) {
            String what = cause instanceof NoSuchFileException ? "no such file or directory"
                    : cause instanceof AccessDeniedException ? "permission denied"
                    : cause instanceof FileAlreadyExistsException ? "already exists"
                    : cause.getClass().getSimpleName();
            return file.getFile() + ": " + what;
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /**
     * Standard output behind a 64 KiB buffer, for commands that stream many lines (export,
     * generate): picocli's own writer flushes every line, which would dominate a million-line log.
     */
    static PrintWriter bufferedStdout() {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
