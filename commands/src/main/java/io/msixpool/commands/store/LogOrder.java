package io.msixpool.commands.store;

/**
 * What keeps the log's order fixed once a checkpoint covers it (docs/event-log.md, "Checkpoints").
 * A checkpoint's leaf i is the i-th event in order of position, so an event may never appear
 * below a position a checkpoint already covers.
 *
 * <p>On the embedded store this holds by itself: one process writes, SQLite runs one write
 * transaction at a time, and an append's position (the rowid) is taken inside it, so positions
 * are committed in their order. On PostgreSQL, nodes append concurrently and take positions from
 * a sequence before they commit: position 11 can be visible while 10 is still in flight. There,
 * every transaction that appends first takes a shared advisory lock ({@link #appendLock}), held
 * until it ends; the checkpointer takes the same lock exclusively ({@link #settleLock}), which it
 * gets only once every append that started before has committed or rolled back, and reads the
 * highest position then: every position up to it is final, because appends after it take higher
 * positions from the sequence. It holds the lock for that one query, so appends pause for about
 * as long as the longest transaction in flight.
 *
 * @param appendLock     run in an appending transaction before its first insert, or null
 * @param settleLock     run first in the checkpointer's short transaction that reads the highest final position, or null
 * @param checkpointLock run first in the transaction that stores a checkpoint, so nodes store one at a time, or null
 * @param bytesType      the SQL type of a column of bytes
 */
public record LogOrder(String appendLock, String settleLock, String checkpointLock, String bytesType) {
    /** Advisory lock keys: "msixlog" and "msixckpt" in ASCII, apart from the schema lock's "msixpool". */
    private static final long APPEND_KEY = 0x6d7369786c6f67L;
    private static final long CHECKPOINT_KEY = 0x6d736978636b7074L;

    public static LogOrder of(StoreLocation location) {
        return switch (location) {
            case StoreLocation.Embedded embedded -> new LogOrder(null, null, null, "BLOB");
            case StoreLocation.Postgres postgres -> new LogOrder(
                    "SELECT pg_advisory_xact_lock_shared(" + APPEND_KEY + ")",
                    "SELECT pg_advisory_xact_lock(" + APPEND_KEY + ")",
                    "SELECT pg_advisory_xact_lock(" + CHECKPOINT_KEY + ")",
                    "BYTEA");
        };
    }
}
