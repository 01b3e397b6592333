package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.LogOrder;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Json;
import io.msixpool.replay.Upcasters;
import java.sql.SQLException;
import java.util.Set;
import java.util.stream.Stream;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;

/**
 * The engine's reading side: Axon's JDBC event storage on the store, twice over. One reads events
 * through the upcaster chain, as the aggregate and the projections need them; the other reads them
 * as they were stored, for the export, which writes what the chain hashed.
 */
final class EventStorage {
    /** Axon's table and column names, the store's one definition of them (no SQL here spells them out). */
    static final EventSchema SCHEMA = new EventSchema();

    private final JdbcEventStorageEngine upcasting;
    private final JdbcEventStorageEngine asStored;
    private final JacksonSerializer serializer;

    private EventStorage(JdbcEventStorageEngine upcasting, JdbcEventStorageEngine asStored, JacksonSerializer serializer) {
        this.upcasting = upcasting;
        this.asStored = asStored;
        this.serializer = serializer;
    }

    static EventStorage open(JdbcTransactions transactions, StoreLocation location, Upcasters upcasters) {
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
        return new EventStorage(
                storageEngine(transactions, serializer, AxonUpcasters.chain(upcasters), location),
                storageEngine(transactions, serializer, NoOpEventUpcaster.INSTANCE, location),
                serializer);
    }

    private static JdbcEventStorageEngine storageEngine(JdbcTransactions transactions, JacksonSerializer serializer,
                                                        EventUpcaster upcasters, StoreLocation location) {
        return location.inDialect(JdbcEventStorageEngine.builder())
                .connectionProvider(transactions)
                .transactionManager(transactions)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .upcasterChain(upcasters)
                .persistenceExceptionResolver(failure -> isDuplicateKey(failure, location))
                .dataType(byte[].class)
                .batchSize(Engine.READ_BATCH)
                .build();
    }

    /** A unique-key violation anywhere in the causes: another writer took the (device, sequence). */
    private static boolean isDuplicateKey(Exception failure, StoreLocation location) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && location.isDuplicateKey(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates the tables where missing, in one transaction that first takes the store's schema lock
     * (if it has one), so that nodes starting together on a fresh shared store create them once
     * and the others wait for that commit and find them, instead of failing to start.
     */
    void createSchema(JdbcTransactions transactions, StoreLocation location) {
        Transaction transaction = transactions.startTransaction();
        try {
            if (location.schemaLock() != null) {
                try (var connection = transactions.getConnection(); var statement = connection.createStatement()) {
                    statement.execute(location.schemaLock());
                }
            }
            upcasting.createSchema(location.tables());
            try (var connection = transactions.getConnection()) {
                CheckpointTables.create(connection, LogOrder.of(location));
            }
        } catch (SQLException | RuntimeException failure) {
            try {
                transaction.rollback();
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed);
            }
            throw new StoreFailure("cannot create the event store's tables", failure);
        }
        transaction.commit();
    }

    /** The storage Axon's event store appends to and loads devices from (upcasting). */
    JdbcEventStorageEngine forAxon() {
        return upcasting;
    }

    JacksonSerializer serializer() {
        return serializer;
    }

    /** Every stored event in global order, upcast, as far as the store holds them now (no waiting for more). */
    Stream<? extends TrackedEventMessage<?>> allEvents() {
        return upcasting.readEvents(null, false);
    }

    /**
     * Like {@link #allEvents()}, but each event as it was stored, not upcast, from after global
     * position {@code after} (0: from the start): read its payload as {@link #storedPayload}, never
     * {@code getPayload()} (an older revision would not read right).
     */
    Stream<? extends TrackedEventMessage<?>> storedEvents(long after) {
        return asStored.readEvents(after <= 0 ? null : GapAwareTrackingToken.newInstance(after, Set.of()), false);
    }

    /** The JSON an event was stored as, and its revision, without deserializing it. */
    SerializedObject<JsonNode> storedPayload(EventMessage<?> event) {
        return event.serializePayload(serializer, JsonNode.class);
    }

    /**
     * One device's events in sequence order, upcast, from the start of its stream: the store's
     * (device, sequence) index, not a scan of the log, and no snapshot.
     */
    Stream<? extends DomainEventMessage<?>> deviceEvents(String device) {
        return upcasting.readEvents(device, 0).asStream();
    }
}
