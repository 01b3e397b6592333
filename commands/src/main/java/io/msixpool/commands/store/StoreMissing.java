package io.msixpool.commands.store;

import java.nio.file.Path;

/** A command that only reads named a store that is not there: nothing was created in its place. */
public final class StoreMissing extends RuntimeException {
    public StoreMissing(Path directory) {
        this("no store at " + directory);
    }

    public StoreMissing(String message) {
        super(message);
    }
}
