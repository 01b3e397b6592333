package io.msixpool.commands.store;

/** Another process writes this embedded store: it takes one writer at a time. */
public final class StoreInUse extends RuntimeException {
    public StoreInUse(String message) {
        super(message);
    }
}
