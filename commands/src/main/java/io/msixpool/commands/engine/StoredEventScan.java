package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.wire.Json;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.replay.Upcasters;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Consumer;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

/**
 * Every stored event in global order, read with plain JDBC: the bench's replay from the store and
 * the fleet's rebuild at start ({@link FleetFollower}), which need only the events and their positions. Axon's tracked read of the same rows spends most of its time on
 * tracking-token bookkeeping, timestamp parsing and metadata (docs/benchmarks.md); a replay needs
 * none of them. Older revisions go through the same upcaster steps as the export.
 */
public final class StoredEventScan {
    /** Axon's table and column names, as the engine's storage uses them. */
    private static final EventSchema SCHEMA = new EventSchema();
    private static final String SELECT = "SELECT " + SCHEMA.payloadTypeColumn() + ", " + SCHEMA.payloadRevisionColumn()
            + ", " + SCHEMA.payloadColumn() + ", " + SCHEMA.globalIndexColumn() + ", " + SCHEMA.sequenceNumberColumn()
            + " FROM " + SCHEMA.domainEventTable() + " ORDER BY " + SCHEMA.globalIndexColumn();

    /** Takes each stored event with its global position and its sequence in its device. */
    @FunctionalInterface
    public interface Sink {
        void accept(long position, long sequence, DeviceEvent event);
    }

    private StoredEventScan() {
    }

    /**
     * Hands every stored event of {@code engine}'s store to {@code sink} in global order.
     *
     * @return how many events were read
     */
    public static long forEach(Engine engine, Consumer<DeviceEvent> sink) {
        return forEach(engine, (position, sequence, event) -> sink.accept(event));
    }

    /**
     * Hands every stored event of {@code engine}'s store to {@code sink} in global order, with its
     * position and sequence.
     *
     * @return how many events were read
     */
    public static long forEach(Engine engine, Sink sink) {
        return forEach(engine.transactions(), sink);
    }

    /** {@link #forEach(Engine, Sink)} on the store's connections, before an engine is built on them. */
    static long forEach(JdbcTransactions transactions, Sink sink) {
        ObjectReader events = Json.mapper().readerFor(DeviceEvent.class);
        long count = 0;
        try (Connection connection = transactions.getConnection()) {
            connection.setAutoCommit(false); // PostgreSQL streams by fetch size only inside a transaction
            try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                select.setFetchSize(Engine.READ_BATCH);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String type = StoredTypes.eventType(rows.getString(1));
                        String revision = rows.getString(2);
                        byte[] payload = rows.getBytes(3);
                        String current = type == null ? null : Upcasters.currentRevision(type);
                        sink.accept(rows.getLong(4), rows.getLong(5), Objects.equals(revision, current)
                                ? events.readValue(payload)
                                : events.treeToValue(Upcasters.CURRENT.upcast(
                                        (ObjectNode) Json.mapper().readTree(payload), revision), DeviceEvent.class));
                        count++;
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException | IOException e) {
            throw new StoreFailure("cannot read the events of the store", e);
        }
        return count;
    }
}
