package io.msixpool.commands.cli;

import io.msixpool.commands.http.SigningKeyFile;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.NoteKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Which key signs the log's checkpoints (msix serve, msix key): {@code --signing-key FILE}, or
 * {@code STORE/checkpoint.key} of an embedded store; {@code --log-origin NAME} names a new key. The
 * key's name is the log's origin: fixed when the key is made, so a later {@code --log-origin} that
 * differs is refused rather than signing checkpoints of another log with the same key.
 */
final class SigningKeyOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--signing-key", paramLabel = "FILE",
            description = "the key that signs the log's checkpoints (default: STORE/checkpoint.key, created on the"
                    + " first start; required for a PostgreSQL store: every node of a store gives the same file)")
    Path file;

    @Option(names = "--log-origin", paramLabel = "NAME",
            description = "the log's name in its checkpoints, for a new key (default: msix-pool/ and 8 random hex"
                    + " digits); printable ASCII without spaces or +; fixed once the key exists")
    String origin;

    /** The key serve signs with: {@code --signing-key}'s, or the embedded store's, created there when missing. */
    NoteKey loadOrCreate(StoreLocation store, PrintWriter err) {
        Path keyFile = file != null ? file : inStore(store);
        if (file == null) {
            Optional<NoteKey> created = SigningKeyFile.create(keyFile, newOrigin());
            if (created.isPresent()) {
                err.println("msix: wrote a new checkpoint signing key for log " + created.get().name() + " to " + keyFile
                        + " (readable by you only)");
                return created.get();
            }
        }
        return read(keyFile);
    }

    /** The key of {@code --signing-key}, or of the embedded {@code store} (null when not given); never created. */
    NoteKey load(StoreLocation store) {
        return read(file != null ? file : inStore(store));
    }

    /** Creates {@code --signing-key}'s file, or the embedded store's, with a new key; refused when it exists. */
    NoteKey create(StoreLocation store) {
        Path keyFile = file != null ? file : inStore(store);
        return SigningKeyFile.create(keyFile, newOrigin()).orElseThrow(() -> new ParameterException(command.commandLine(),
                keyFile + " exists: a log keeps its key (msix key prints its verifier key)"));
    }

    private NoteKey read(Path keyFile) {
        NoteKey key = TokensFileOption.orUsageError(command, () -> SigningKeyFile.read(keyFile));
        if (origin != null && !origin.equals(key.name())) {
            throw new ParameterException(command.commandLine(), "--log-origin " + origin + ": the log's origin is "
                    + key.name() + ", fixed when its key " + keyFile + " was made");
        }
        return key;
    }

    private String newOrigin() {
        if (origin == null) {
            return Checkpoint.randomOrigin();
        }
        if (!NoteKey.isValidName(origin)) {
            throw new ParameterException(command.commandLine(),
                    "--log-origin " + origin + ": a log origin is printable ASCII without spaces or +");
        }
        return origin;
    }

    private Path inStore(StoreLocation store) {
        if (store == null) {
            throw new ParameterException(command.commandLine(), "which signing key? give --signing-key FILE or --store STORE");
        }
        if (!(store instanceof StoreLocation.Embedded embedded)) {
            throw new ParameterException(command.commandLine(), "a PostgreSQL store has no directory for a signing key:"
                    + " give --signing-key FILE (the same file on every node; make one with: msix key --create"
                    + " --signing-key FILE)");
        }
        return embedded.directory().resolve(SigningKeyFile.IN_STORE).toAbsolutePath();
    }
}
