package io.msixpool.commands.engine;

import io.msixpool.commands.store.LogOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The two tables that keep the log's checkpoints in the store, so that every node serves the same
 * ones and a restart never signs a checkpoint inconsistent with one signed before:
 * {@value #LEAVES} holds each covered event's leaf hash by leaf index (and the event's position, which
 * fixes which event each leaf is), {@value #CHECKPOINTS} each signed checkpoint. A checkpoint and the
 * leaves it adds are inserted in one transaction, so the leaves always end where the newest checkpoint does.
 */
final class CheckpointTables {
    static final String LEAVES = "msix_merkle_leaf";
    static final String CHECKPOINTS = "msix_checkpoint";

    /** A checkpoint as stored: its tree size, the position of its last leaf's event (0: none), and its signed note. */
    record Stored(long size, long lastPosition, String origin, String verifierKey, String note) {
    }

    /** A covered event: its leaf index and position, and its leaf hash. */
    record Leaf(long index, long position, byte[] hash) {
    }

    private CheckpointTables() {
    }

    static void create(Connection connection, LogOrder order) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + LEAVES + " (leaf_index BIGINT PRIMARY KEY,"
                    + " position BIGINT NOT NULL UNIQUE, leaf_hash " + order.bytesType() + " NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS " + CHECKPOINTS + " (tree_size BIGINT PRIMARY KEY,"
                    + " last_position BIGINT NOT NULL, origin TEXT NOT NULL, verifier_key TEXT NOT NULL, note TEXT NOT NULL)");
        }
    }

    /** True when the store has the tables: a store no engine of this version has written yet has not. */
    static boolean exist(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                if (CHECKPOINTS.equalsIgnoreCase(tables.getString("TABLE_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    static Optional<Stored> newest(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT tree_size, last_position, origin,"
                + " verifier_key, note FROM " + CHECKPOINTS + " ORDER BY tree_size DESC LIMIT 1");
             ResultSet row = select.executeQuery()) {
            return row.next()
                    ? Optional.of(new Stored(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4), row.getString(5)))
                    : Optional.empty();
        }
    }

    /** Hands {@code sink} the leaf hashes from index {@code from} up to (not including) {@code to}, in order. */
    static void readLeaves(Connection connection, long from, long to, Consumer<byte[]> sink) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT leaf_index, leaf_hash FROM " + LEAVES
                + " WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index")) {
            select.setLong(1, from);
            select.setLong(2, to);
            select.setFetchSize(Engine.READ_BATCH);
            try (ResultSet rows = select.executeQuery()) {
                long expected = from;
                while (rows.next()) {
                    if (rows.getLong(1) != expected) {
                        throw new IllegalStateException("the store's leaf hashes miss leaf " + expected
                                + ": the checkpoint tables were changed");
                    }
                    sink.accept(rows.getBytes(2));
                    expected++;
                }
                if (expected != to) {
                    throw new IllegalStateException("the store's leaf hashes end at " + expected + ", its newest"
                            + " checkpoint covers " + to + ": the checkpoint tables were changed");
                }
            }
        }
    }

    static void insert(Connection connection, List<Leaf> leaves, Stored checkpoint) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + LEAVES + " (leaf_index, position, leaf_hash) VALUES (?, ?, ?)")) {
            for (Leaf leaf : leaves) {
                insert.setLong(1, leaf.index());
                insert.setLong(2, leaf.position());
                insert.setBytes(3, leaf.hash());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + CHECKPOINTS
                + " (tree_size, last_position, origin, verifier_key, note) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, checkpoint.size());
            insert.setLong(2, checkpoint.lastPosition());
            insert.setString(3, checkpoint.origin());
            insert.setString(4, checkpoint.verifierKey());
            insert.setString(5, checkpoint.note());
            insert.executeUpdate();
        }
    }
}
