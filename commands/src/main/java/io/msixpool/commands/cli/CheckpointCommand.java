package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.LogCheckpoints;
import io.msixpool.commands.store.StoreInUse;
import io.msixpool.commands.store.StoreLocation;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "checkpoint", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the log's newest signed checkpoint (a C2SP tlog-checkpoint signed note) on standard output.",
                "",
                "A checkpoint names the log (its origin), the number of events it covers and the Merkle root of",
                "their lines in msix export (RFC 9162); keep it, and any later log can be proved to extend it",
                "(docs/event-log.md, \"Auditing with checkpoints\"). msix serve keeps the newest one current;",
                "while it runs this prints the one it signed. Without a server, on an embedded store, this",
                "first signs one covering every event, with STORE/checkpoint.key (made when missing); on",
                "PostgreSQL it does so only when given --signing-key.",
                "",
                "Examples:",
                "  msix checkpoint --store ./store > checkpoint.txt",
                "  msix checkpoint --store jdbc:postgresql://db/msix --signing-key /etc/msix/checkpoint.key"},
        footer = {"", "Exit codes: 0 printed; 1 no checkpoint was signed yet, or the store failed; 2 bad usage."})
final class CheckpointCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    SigningKeyOptions signingKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> note = signNow() ? signed(err) : stored();
        if (note.isEmpty()) {
            err.println("msix: no checkpoint of this log was signed yet: start msix serve, or give --signing-key");
            return Msix.ENGINE_FAILED;
        }
        out.print(note.get());
        out.flush();
        return 0;
    }

    /** An embedded store signs here when no server does; PostgreSQL only with a key given. */
    private boolean signNow() {
        return store.location() instanceof StoreLocation.Embedded || signingKey.file != null;
    }

    private Optional<String> signed(PrintWriter err) {
        try (Engine reader = store.openReader()) {
            // A reader first: a missing store is a usage error, never created here.
        }
        Engine writer;
        try {
            writer = store.openWriter();
        } catch (StoreInUse served) {
            return stored(); // the server that holds the store keeps its checkpoint current
        }
        try (writer) {
            LogCheckpoints checkpoints;
            try {
                checkpoints = LogCheckpoints.open(writer, signingKey.loadOrCreate(store.location(), err));
            } catch (IllegalStateException otherLog) {
                throw new ParameterException(spec.commandLine(), otherLog.getMessage());
            }
            while (checkpoints.advance() > 0) {
                err.printf("msix: signed a checkpoint of %,d events%n", checkpoints.newest().checkpoint().size());
                err.flush();
            }
            return Optional.of(checkpoints.newest().note());
        }
    }

    private Optional<String> stored() {
        try (Engine reader = store.openReader()) {
            return LogCheckpoints.storedNote(reader);
        }
    }
}
