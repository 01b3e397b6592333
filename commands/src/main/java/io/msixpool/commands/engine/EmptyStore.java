package io.msixpool.commands.engine;

import static io.msixpool.commands.engine.EventStorage.SCHEMA;

import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.store.StoreMissing;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** An import's target must hold no event and no snapshot: an import never mixes a log into a history. */
final class EmptyStore {
    private EmptyStore() {
    }

    /**
     * Refuses a store that holds any event or snapshot, without creating it: it is opened for
     * reading, which never creates a store and finds none where there is none.
     *
     * @throws LogImport.NotEmpty when it holds something
     */
    static void require(StoreLocation target) {
        try (HikariDataSource data = target.open(StoreLocation.Access.READ); Connection connection = data.getConnection()) {
            require(connection);
        } catch (StoreMissing noStoreYet) {
            // a directory without a store (its database file missing or empty): nothing to refuse
        } catch (SQLException e) {
            throw new StoreFailure("cannot read whether the store holds events", e);
        }
    }

    /** The same check on an open connection (again inside the import's transaction). */
    static void require(Connection connection) throws SQLException {
        if (hasTable(connection, SCHEMA.domainEventTable())) {
            try (Statement sql = connection.createStatement();
                 ResultSet last = sql.executeQuery("SELECT MAX(" + SCHEMA.globalIndexColumn() + ") FROM "
                         + SCHEMA.domainEventTable())) {
                last.next();
                long position = last.getLong(1);
                if (!last.wasNull()) {
                    throw new LogImport.NotEmpty("it already holds events (the last at position " + position + ")");
                }
            }
        }
        if (hasTable(connection, SCHEMA.snapshotTable())) {
            try (Statement sql = connection.createStatement();
                 ResultSet any = sql.executeQuery("SELECT 1 FROM " + SCHEMA.snapshotTable() + " LIMIT 1")) {
                if (any.next()) {
                    throw new LogImport.NotEmpty("it holds no events but snapshots of devices");
                }
            }
        }
    }

    /** Whether the table exists in the connection's schema (identifiers compared ignoring case). */
    private static boolean hasTable(Connection connection, String table) throws SQLException {
        String schema = connection.getSchema();
        try (ResultSet tables = connection.getMetaData().getTables(null, null, null, new String[] {"TABLE"})) {
            while (tables.next()) {
                String itsSchema = tables.getString("TABLE_SCHEM");
                if (table.equalsIgnoreCase(tables.getString("TABLE_NAME"))
                        && (schema == null || itsSchema == null || schema.equalsIgnoreCase(itsSchema))) {
                    return true;
                }
            }
        }
        return false;
    }
}
