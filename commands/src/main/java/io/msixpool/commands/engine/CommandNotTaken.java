package io.msixpool.commands.engine;

import io.msixpool.commands.store.StoreOutage;

/**
 * The engine did not take a command: it is closing, too many commands are already waiting, or the
 * store could not be reached before anything was committed.
 * Nothing was decided, so sending the same command again later is safe (unlike a failure while
 * deciding, whose outcome is unknown).
 */
public final class CommandNotTaken extends RuntimeException {
    CommandNotTaken(String why) {
        super(why + "; nothing was decided: send the command again later");
    }

    /** The store could not be reached, so the command's transaction never committed. */
    static CommandNotTaken storeUnreachable(Throwable failure) {
        CommandNotTaken notTaken = new CommandNotTaken("the store cannot be reached (" + StoreOutage.reason(failure) + ")");
        notTaken.initCause(failure);
        return notTaken;
    }
}
