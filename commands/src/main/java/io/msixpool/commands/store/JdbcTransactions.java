package io.msixpool.commands.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.ConnectionWrapperFactory;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * Axon 4 ships no plain-JDBC transaction manager, so this is one: a transaction binds one pooled
 * connection to the thread, and every Axon component that asks this provider for a connection on
 * that thread (event appends, snapshot writes, token updates) gets the same one. They commit or roll
 * back together, and a command is acknowledged only after that commit returned.
 */
public final class JdbcTransactions implements TransactionManager, ConnectionProvider {
    private final DataSource dataSource;
    private final String probeBeforeCommit;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();
    /** Told, on the transaction's thread, how each transaction ended: true once committed, false otherwise. */
    private final List<Consumer<Boolean>> endListeners = new CopyOnWriteArrayList<>();

    /**
     * A commit counts as done when the database's COMMIT returns: both stores flush it to stable
     * storage first (SQLite's WAL with synchronous=FULL, PostgreSQL's WAL with synchronous_commit=on).
     *
     * @param probeBeforeCommit run just before each commit; failing means the transaction cannot
     *                          commit (null: none)
     */
    public JdbcTransactions(DataSource dataSource, String probeBeforeCommit) {
        this.dataSource = dataSource;
        this.probeBeforeCommit = probeBeforeCommit;
    }

    /**
     * Inside a transaction, a nested one is a no-op: the outer one alone commits or rolls back, and
     * whoever runs the outer one (GroupCommit) must roll it back when anything inside failed.
     */
    @Override
    public Transaction startTransaction() {
        if (bound.get() != null) {
            return NESTED;
        }
        Connection connection = open();
        bound.set(connection);
        return new Transaction() {
            @Override
            public void commit() {
                finish(connection, true);
            }

            @Override
            public void rollback() {
                finish(connection, false);
            }
        };
    }

    /** Inside a transaction: its connection, which callers may "close" and "commit" harmlessly. */
    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = bound.get();
        if (connection == null) {
            return dataSource.getConnection();
        }
        return ConnectionWrapperFactory.wrap(connection, new ConnectionWrapperFactory.ConnectionCloseHandler() {
            @Override
            public void close(Connection ignored) {
            }

            @Override
            public void commit(Connection ignored) {
            }
        });
    }

    private Connection open() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreFailure("cannot start a transaction on the event store", e);
        }
    }

    /** True when the store answers a query now (within a second once connected): the health check's probe. */
    public boolean storeAnswers() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(1);
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** {@code listener} learns, on the transaction's thread, whether each transaction committed. */
    public void onEnd(Consumer<Boolean> listener) {
        endListeners.add(listener);
    }

    /**
     * A failure of the COMMIT itself leaves the outcome unknown (it may have happened before the
     * connection broke), so callers must not decide the same commands again: they report it
     * ({@link CommitOutcomeUnknown}). A failure before the COMMIT was sent (the probe) means the
     * transaction is not recorded.
     */
    private void finish(Connection connection, boolean commit) {
        bound.remove();
        boolean committed = false;
        try (connection) {
            if (commit) {
                try {
                    run(connection, probeBeforeCommit);
                } catch (SQLException e) {
                    rollBackQuietly(connection);
                    throw new StoreFailure("the event store failed before the commit; nothing of it is recorded", e);
                }
                try {
                    connection.commit();
                } catch (SQLException e) {
                    throw new CommitOutcomeUnknown("commit failed on the event store; "
                            + "commands decided in it may or may not be recorded", e);
                }
                committed = true;
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreFailure((commit ? "closing a committed" : "rolling back a") + " transaction failed on the event store", e);
        } finally {
            for (Consumer<Boolean> listener : endListeners) {
                listener.accept(committed);
            }
        }
    }

    private static void run(Connection connection, String sql) throws SQLException {
        if (sql != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    private static void rollBackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException alreadyBroken) {
            // the server rolls back a transaction whose connection broke
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    private static final Transaction NESTED = new Transaction() {
        @Override
        public void commit() {
        }

        @Override
        public void rollback() {
        }
    };
}
