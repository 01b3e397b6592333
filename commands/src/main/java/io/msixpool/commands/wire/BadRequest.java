package io.msixpool.commands.wire;

/** docs/wire.md's shape check failed: the text never became a command and nothing was decided. */
public final class BadRequest extends Exception {
    public BadRequest(String message) {
        super(message, null, false, false);
    }
}
