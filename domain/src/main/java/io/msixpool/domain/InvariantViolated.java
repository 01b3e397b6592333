package io.msixpool.domain;

/**
 * An invariant of docs/rules.md broke after an event. That is a bug in the engine (or an edited log),
 * never a client error, so it fails loudly instead of being turned into a rejection.
 */
public final class InvariantViolated extends IllegalStateException {
    public InvariantViolated(String message) {
        super(message);
    }
}
