package io.msixpool.commands.store;

/**
 * A COMMIT was sent and no answer came back: the transaction may or may not be recorded, so the
 * commands in it must not be decided again nor reported as not recorded; clients resend them with
 * their commandIds, which the engine recognises if they were recorded.
 */
public final class CommitOutcomeUnknown extends StoreFailure {
    public CommitOutcomeUnknown(String message, Throwable cause) {
        super(message, cause);
    }
}
