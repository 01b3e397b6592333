package io.msixpool.commands.store;

/** The event store itself failed (not a rule): the engine cannot decide, nothing was acknowledged. */
public class StoreFailure extends RuntimeException {
    public StoreFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
