package io.msixpool.commands.cli;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.replay.merkle.NoteKey;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "key", mixinStandardHelpOptions = true,
        description = {
                "Prints the verifier key of the log's checkpoints, alone on standard output.",
                "",
                "msix serve signs the log's checkpoints (C2SP tlog-checkpoint, Ed25519) with the key of",
                "STORE/checkpoint.key, made on its first start, or of --signing-key FILE. The verifier key",
                "(<origin>+<key id>+<public key>, the form of Go's golang.org/x/mod/sumdb/note) is what an",
                "auditor needs to check them; it holds nothing secret. This runs beside a running server.",
                "--create makes the key file instead (mode 0600; refused when it exists): for the nodes of",
                "a PostgreSQL store, which all give the same --signing-key FILE.",
                "",
                "Examples:",
                "  msix key --store ./store",
                "  msix key --create --signing-key /etc/msix/checkpoint.key --log-origin bus.example/msix"},
        footer = {"", "Exit codes: 0 ok; 1 the key file could not be written; 2 bad usage, or a key file that is",
                "missing, invalid or readable by others."})
final class KeyCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "STORE",
            description = "the embedded store whose STORE/checkpoint.key is meant")
    String store;

    @Option(names = "--create", description = "make a new key file instead of reading it")
    boolean create;

    @Mixin
    SigningKeyOptions signingKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StoreLocation location = store == null ? null : StoreOption.parse(spec, store);
        NoteKey key = create ? signingKey.create(location) : signingKey.load(location);
        PrintWriter out = spec.commandLine().getOut();
        out.println(key.verifierKey());
        out.flush();
        return 0;
    }
}
