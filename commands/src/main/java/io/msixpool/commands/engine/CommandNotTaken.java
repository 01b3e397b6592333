package io.msixpool.commands.engine;

/**
 * The engine did not take a command: it is closing, or too many commands are already waiting.
 * Nothing was decided, so sending the same command again later is safe (unlike a failure while
 * deciding, whose outcome is unknown).
 */
public final class CommandNotTaken extends RuntimeException {
    CommandNotTaken(String why) {
        super(why + "; nothing was decided: send the command again later");
    }
}
