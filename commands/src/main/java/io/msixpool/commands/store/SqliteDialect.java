package io.msixpool.commands.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventTableFactory;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.common.DateTimeUtils;

/**
 * Axon's event store in SQLite's dialect. The tables have the same columns as on PostgreSQL, so
 * Axon's statements read and write both; {@code globalIndex INTEGER PRIMARY KEY} is the table's
 * rowid: an append omits it and gets the highest one plus one, and with one writer process the
 * global order is the commit order.
 *
 * <p>Five of Axon's statements ask for one aggregate value (the last sequence of a device, the
 * first or last global index) that is NULL when there is none, and read it with
 * {@code getObject(1, Long.class)}, which SQLite's driver refuses for a NULL ("Bad value for type
 * Long") where JDBC says it returns null. Here each answers no row instead, which Axon reads as none.
 */
final class SqliteDialect implements EventTableFactory {
    static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    JdbcEventStorageEngine.Builder statements(JdbcEventStorageEngine.Builder builder) {
        return builder
                .lastSequenceNumberFor((connection, schema, aggregate) -> withArgument(connection,
                        noRowForNull("max(" + schema.sequenceNumberColumn() + ")", schema,
                                schema.aggregateIdentifierColumn() + " = ?"), statement -> statement.setString(1, aggregate)))
                .createTailToken((connection, schema) -> connection.prepareStatement(
                        noRowForNull("min(" + schema.globalIndexColumn() + ") - 1", schema, null)))
                .createHeadToken((connection, schema) -> connection.prepareStatement(
                        noRowForNull("max(" + schema.globalIndexColumn() + ")", schema, null)))
                .createTokenAt((connection, schema, at) -> withArgument(connection,
                        noRowForNull("min(" + schema.globalIndexColumn() + ") - 1", schema,
                                schema.timestampColumn() + " >= ?"),
                        statement -> statement.setString(1, DateTimeUtils.formatInstant(at))))
                .fetchTrackedEvents((connection, schema, index) -> withArgument(connection,
                        noRowForNull("min(" + schema.globalIndexColumn() + ")", schema,
                                schema.globalIndexColumn() + " > ?"), statement -> statement.setLong(1, index)));
    }

    /** {@code SELECT aggregate FROM events [WHERE condition]}, as no row rather than one NULL. */
    private static String noRowForNull(String aggregate, EventSchema schema, String condition) {
        return "SELECT value FROM (SELECT " + aggregate + " AS value FROM " + schema.domainEventTable()
                + (condition == null ? "" : " WHERE " + condition) + ") WHERE value IS NOT NULL";
    }

    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static PreparedStatement withArgument(Connection connection, String sql, Binding binding)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        binding.bind(statement);
        return statement;
    }

    @Override
    public PreparedStatement createDomainEventTable(Connection connection, EventSchema schema) throws SQLException {
        return connection.prepareStatement("CREATE TABLE IF NOT EXISTS " + schema.domainEventTable() + " ("
                + schema.globalIndexColumn() + " INTEGER PRIMARY KEY, " + eventColumns(schema)
                + "UNIQUE (" + schema.aggregateIdentifierColumn() + ", " + schema.sequenceNumberColumn() + "))");
    }

    @Override
    public PreparedStatement createSnapshotEventTable(Connection connection, EventSchema schema) throws SQLException {
        return connection.prepareStatement("CREATE TABLE IF NOT EXISTS " + schema.snapshotTable() + " ("
                + eventColumns(schema)
                + "PRIMARY KEY (" + schema.aggregateIdentifierColumn() + ", " + schema.sequenceNumberColumn() + "))");
    }

    /** The columns an event and a snapshot both have, each followed by ", ". */
    private static String eventColumns(EventSchema schema) {
        return schema.aggregateIdentifierColumn() + " TEXT NOT NULL, "
                + schema.sequenceNumberColumn() + " INTEGER NOT NULL, "
                + schema.typeColumn() + " TEXT, "
                + schema.eventIdentifierColumn() + " TEXT NOT NULL UNIQUE, "
                + schema.metaDataColumn() + " BLOB, "
                + schema.payloadColumn() + " BLOB NOT NULL, "
                + schema.payloadRevisionColumn() + " TEXT, "
                + schema.payloadTypeColumn() + " TEXT NOT NULL, "
                + schema.timestampColumn() + " TEXT NOT NULL, ";
    }
}
