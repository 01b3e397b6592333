package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Takes the store's append lock ({@link io.msixpool.commands.store.LogOrder#appendLock}) in a
 * transaction before its first event is inserted, once per transaction: called as each event is
 * stamped ({@link ChainStamp}), which Axon does inside the command's transaction before the insert.
 */
final class AppendGate {
    private final JdbcTransactions transactions;
    private final String appendLock;
    private final ThreadLocal<Boolean> held = ThreadLocal.withInitial(() -> false);

    AppendGate(JdbcTransactions transactions, String appendLock) {
        this.transactions = transactions;
        this.appendLock = appendLock;
        transactions.onEnd(committed -> held.remove());
    }

    void appending() {
        if (appendLock == null || held.get()) {
            return;
        }
        try (Connection connection = transactions.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(appendLock);
        } catch (SQLException e) {
            throw new StoreFailure("cannot take the log's append lock", e);
        }
        held.set(true);
    }
}
