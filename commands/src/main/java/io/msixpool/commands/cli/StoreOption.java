package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.StoreLocation;
import picocli.CommandLine.Option;

/** The --store option every subcommand that touches events shares. */
final class StoreOption {
    @Option(names = "--store", required = true, paramLabel = "STORE",
            description = "a directory for the embedded store (created when missing), or a jdbc:postgresql:// URL")
    String store;

    Engine open() {
        return Engine.open(StoreLocation.parse(store));
    }
}
