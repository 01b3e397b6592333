package io.msixpool.commands.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
    private final String flushAfterCommit;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    /** {@code flushAfterCommit}: run after each commit, before it counts as done (null: none). */
    public JdbcTransactions(DataSource dataSource, String flushAfterCommit) {
        this.dataSource = dataSource;
        this.flushAfterCommit = flushAfterCommit;
    }

    @Override
    public Transaction startTransaction() {
        if (bound.get() != null) {
            return NESTED; // the outer transaction decides
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
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw new StoreFailure("cannot start a transaction on the event store", e);
        }
    }

    private void finish(Connection connection, boolean commit) {
        bound.remove();
        try (connection) {
            if (commit) {
                connection.commit();
                if (flushAfterCommit != null) {
                    try (Statement flush = connection.createStatement()) {
                        flush.execute(flushAfterCommit);
                    }
                }
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreFailure((commit ? "commit" : "rollback") + " failed on the event store", e);
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
