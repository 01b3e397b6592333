package io.msixpool.domain;

/**
 * A command whose shape is wrong (docs/wire.md's BAD_REQUEST): raised by record constructors before any
 * rule runs. A shape error is the caller's bug in forming a request, not a state violation, so it
 * is not a {@link Rejection}.
 */
public final class MalformedCommand extends IllegalArgumentException {
    public MalformedCommand(String message) {
        super(message);
    }
}
