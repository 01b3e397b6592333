package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.StoreLocation;
import java.nio.file.Files;
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
            description = "a directory for the embedded store (created when missing), or a jdbc:postgresql:// URL")
    void store(String store) {
        try {
            location = StoreLocation.parse(store);
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(command.commandLine(), bad.getMessage());
        }
    }

    /**
     * The store an option names, which must exist already (a PostgreSQL URL is taken as it is):
     * commands that only read must not create an empty store where a path was mistyped.
     */
    static StoreLocation existing(CommandSpec spec, String option, String store) {
        StoreLocation location;
        try {
            location = StoreLocation.parse(store);
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(spec.commandLine(), bad.getMessage());
        }
        if (location instanceof StoreLocation.Embedded embedded && !Files.isDirectory(embedded.directory())) {
            throw new ParameterException(spec.commandLine(), option + " " + store + ": no such store");
        }
        return location;
    }

    Engine open() {
        return Engine.open(location);
    }

    StoreLocation location() {
        return location;
    }
}
