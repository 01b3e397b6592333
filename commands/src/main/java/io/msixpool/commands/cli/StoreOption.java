package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.store.StoreMissing;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The --store option every subcommand that touches events shares. */
final class StoreOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private StoreLocation location;

    @Option(names = "--store", required = true, paramLabel = "STORE",
            description = "a directory of the embedded store (apply, serve and import create it where missing),"
                    + " or a jdbc:postgresql:// URL")
    void store(String store) {
        try {
            location = StoreLocation.parse(store);
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(command.commandLine(), bad.getMessage());
        }
    }

    /** The store another option names ({@code --replay-store}), parsed as {@code --store} is. */
    static StoreLocation parse(CommandSpec spec, String store) {
        try {
            return StoreLocation.parse(store);
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(spec.commandLine(), bad.getMessage());
        }
    }

    /**
     * Opens a store for a command that only reads: it reads while another process writes, and a
     * store that is not there is a usage error (exit 2, "no store at PATH"), never created in its place.
     */
    static Engine openReader(CommandSpec spec, StoreLocation location) {
        try {
            return Engine.openReader(location);
        } catch (StoreMissing missing) {
            throw new ParameterException(spec.commandLine(), missing.getMessage());
        }
    }

    /** For commands that write: creates an embedded store where there is none. */
    Engine openWriter() {
        return Engine.open(location);
    }

    Engine openReader() {
        return openReader(command, location);
    }

    StoreLocation location() {
        return location;
    }
}
