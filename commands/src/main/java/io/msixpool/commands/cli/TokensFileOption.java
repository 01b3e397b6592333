package io.msixpool.commands.cli;

import io.msixpool.commands.store.StoreLocation;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which tokens file the {@code msix token} commands change: {@code --tokens FILE}, or the one of {@code --store}. */
final class TokensFileOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--tokens", paramLabel = "FILE", description = "the tokens file (default: STORE/tokens.json)")
    Path tokens;

    @Option(names = "--store", paramLabel = "STORE",
            description = "the embedded store whose STORE/tokens.json is meant (a PostgreSQL store has no directory:"
                    + " give --tokens)")
    String store;

    Path file() {
        if (tokens != null) {
            return tokens;
        }
        if (store == null) {
            throw new ParameterException(command.commandLine(), "which tokens file? give --tokens FILE or --store STORE");
        }
        return inStore(command, StoreOption.parse(command, store));
    }

    /** {@code STORE/tokens.json} of an embedded store, as {@code msix serve} uses it without {@code --tokens}. */
    static Path inStore(CommandSpec spec, StoreLocation location) {
        if (!(location instanceof StoreLocation.Embedded embedded)) {
            throw new ParameterException(spec.commandLine(),
                    "a PostgreSQL store has no directory for a tokens file: give --tokens FILE");
        }
        return embedded.directory().resolve("tokens.json");
    }

    /** A tokens file that is missing, invalid or readable by others, or a bad name or role, is the caller's to fix: exit 2. */
    static <T> T orUsageError(CommandSpec spec, Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(spec.commandLine(), bad.getMessage());
        }
    }
}
