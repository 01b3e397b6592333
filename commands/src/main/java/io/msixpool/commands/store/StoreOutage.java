package io.msixpool.commands.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether a failure means the store could not be reached, so that nothing of the work that failed
 * was recorded: the caller may answer "try again" (503) rather than "outcome unknown" (500).
 *
 * <p>A failure is an outage when a connection could not be had (the pool's wait ran out: a server
 * down, restarting or unreachable) or a connection broke (SQLState class 08, or PostgreSQL's
 * 57P01..57P03: shut down, crashed, starting up), and it did not happen while a COMMIT was on its
 * way ({@link CommitOutcomeUnknown}): a transaction whose connection broke before its COMMIT was sent
 * is rolled back by the server.
 */
public final class StoreOutage {
    private StoreOutage() {
    }

    public static boolean nothingRecorded(Throwable failure) {
        boolean outage = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CommitOutcomeUnknown) {
                return false;
            }
            outage |= isOutage(cause);
        }
        return outage;
    }

    /** The first reason worth telling a client, without the stack: the connection failure's message. */
    public static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (isOutage(cause)) {
                return cause.getMessage();
            }
        }
        return String.valueOf(failure.getMessage());
    }

    private static boolean isOutage(Throwable cause) {
        if (cause instanceof SQLTransientConnectionException) {
            return true;
        }
        if (cause instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        }
        return false;
    }
}
