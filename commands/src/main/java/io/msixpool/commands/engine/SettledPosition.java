package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.LogOrder;
import io.msixpool.commands.store.StoreFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The highest position below which no event can still appear: what a checkpoint may cover
 * ({@link LogOrder} says why it is final on each store).
 */
final class SettledPosition {
    /**
     * How long the checkpointer waits for appends in flight before it tries again next round. While it
     * waits for the exclusive lock, new appends queue behind it: a stuck transaction must not stall
     * every writer, only delay a checkpoint.
     */
    static final String WAIT_FOR_APPENDS = "SET LOCAL lock_timeout = '250ms'";
    private static final String HIGHEST = "SELECT max(" + EventStorage.SCHEMA.globalIndexColumn() + ") FROM "
            + EventStorage.SCHEMA.domainEventTable();

    private final JdbcTransactions transactions;
    private final LogOrder order;

    SettledPosition(JdbcTransactions transactions, LogOrder order) {
        this.transactions = transactions;
        this.order = order;
    }

    /** The highest final position; 0 for an empty log, and when appends in flight took too long (nothing is covered this round). */
    long highest() {
        try (Connection connection = transactions.getConnection()) {
            if (order.settleLock() == null) {
                return highest(connection);
            }
            connection.setAutoCommit(false);
            try {
                run(connection, WAIT_FOR_APPENDS);
                run(connection, order.settleLock());
                return highest(connection);
            } catch (SQLException timedOut) {
                if ("55P03".equals(timedOut.getSQLState())) { // lock_not_available: appends still in flight
                    return 0;
                }
                throw timedOut;
            } finally {
                connection.rollback(); // releases the lock; the transaction changed nothing
            }
        } catch (SQLException e) {
            throw new StoreFailure("cannot read the log's highest position", e);
        }
    }

    private static long highest(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(HIGHEST)) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    static void run(Connection connection, String sql) throws SQLException {
        if (sql != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }
}
