package io.msixpool.replay.report;

/** What one actor did: its commands (decisions begun) by kind, its events, and when it was seen. */
final class ActorTally {
    final String actor;
    private final long[] commandsByKind = new long[CommandKind.ALL.length];
    private long commands;
    private long events;
    private long firstMillis = Long.MAX_VALUE;
    private long lastMillis = Long.MIN_VALUE;

    ActorTally(String actor) {
        this.actor = actor;
    }

    void event(long millis, boolean seen) {
        events++;
        if (seen) {
            firstMillis = Math.min(firstMillis, millis);
            lastMillis = Math.max(lastMillis, millis);
        }
    }

    void command(CommandKind kind) {
        commands++;
        commandsByKind[kind.ordinal()]++;
    }

    /** A decision counted as {@code from} turned out to be {@code to} (CloseVf was ReleaseVectors). */
    void recount(CommandKind from, CommandKind to) {
        commandsByKind[from.ordinal()]--;
        commandsByKind[to.ordinal()]++;
    }

    long commands() {
        return commands;
    }

    long commandsOf(CommandKind kind) {
        return commandsByKind[kind.ordinal()];
    }

    long events() {
        return events;
    }

    /** Epoch milliseconds of the earliest event, or Long.MAX_VALUE when none had a time. */
    long firstMillis() {
        return firstMillis;
    }

    long lastMillis() {
        return lastMillis;
    }
}
