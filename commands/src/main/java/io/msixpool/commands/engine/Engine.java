package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Json;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Decision;
import io.msixpool.domain.Device;
import io.msixpool.domain.Rejection;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.projections.DeviceStates;
import io.msixpool.projections.PoolProjection;
import io.msixpool.projections.PoolQuery;
import io.msixpool.projections.PoolView;
import io.msixpool.replay.Upcasters;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;

/**
 * The engine: Axon without Spring on a JDBC event store, the Device aggregate with snapshots, the
 * pool projection, and one call to decide a command. A command's result is returned only after its
 * events committed, which is what makes an acknowledgement safe to act on.
 */
public final class Engine implements AutoCloseable {
    /** Event and command metadata key naming who caused a decision. */
    public static final String ACTOR = "actor";
    /** A snapshot every this many events bounds a cold load (and `msix pool`) to that many events. */
    static final int SNAPSHOT_EVERY = 250;
    /** Rows per query when reading events: export is not a query per 100 events. */
    static final int READ_BATCH = 2_000;
    /** Devices whose aggregate stays in memory between commands (a strong, bounded LRU cache). */
    static final int CACHED_DEVICES = 10_000;
    /** Another writer (another node) appended first: decide again on the new state, this many times. */
    private static final int CONFLICT_RETRIES = 20;

    private final HikariDataSource dataSource;
    private final JdbcTransactions transactions;
    private final JdbcEventStorageEngine storage;
    private final JdbcEventStorageEngine asStored;
    private final JacksonSerializer serializer;
    private final Cache devices;
    private final Configuration axon;

    private Engine(HikariDataSource dataSource, JdbcTransactions transactions, JdbcEventStorageEngine storage,
                   JdbcEventStorageEngine asStored, JacksonSerializer serializer, Cache devices, Configuration axon) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.storage = storage;
        this.asStored = asStored;
        this.serializer = serializer;
        this.devices = devices;
        this.axon = axon;
    }

    public static Engine open(StoreLocation location) {
        return open(location, Upcasters.CURRENT);
    }

    /** An engine that reads events of older revisions with {@code upcasters} (tests pass their own steps). */
    static Engine open(StoreLocation location, Upcasters upcasters) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        HikariDataSource dataSource = location.open();
        try {
            JdbcTransactions transactions =
                    new JdbcTransactions(dataSource, location.probeBeforeCommit(), location.flushAfterCommit());
            JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
            JdbcEventStorageEngine storage = storageEngine(transactions, serializer, AxonUpcasters.chain(upcasters));
            // The export writes events as they were stored, so it reads them without upcasting.
            JdbcEventStorageEngine asStored = storageEngine(transactions, serializer, NoOpEventUpcaster.INSTANCE);
            storage.createSchema(PostgresEventTableFactory.INSTANCE);
            Cache devices = location.sharedByProcesses() ? NoCache.INSTANCE : DeviceCache.create(CACHED_DEVICES);
            Configuration axon = DefaultConfigurer.defaultConfiguration()
                    .configureSerializer(c -> serializer)
                    .configureEventSerializer(c -> serializer)
                    .configureMessageSerializer(c -> serializer)
                    .configureTransactionManager(c -> transactions)
                    .configureCommandBus(CommandBusFactory::create)
                    .configureEmbeddedEventStore(c -> storage)
                    .configureAggregate(AggregateConfigurer.defaultConfiguration(Device.class)
                            .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(
                                    c.snapshotter(), SNAPSHOT_EVERY))
                            .configureCache(c -> devices))
                    .configureCorrelationDataProviders(c -> List.of(
                            new MessageOriginProvider(), new SimpleCorrelationDataProvider(ACTOR)))
                    .registerComponent(DeviceStates.class, c -> new DeviceStates(c.eventStore()))
                    .registerComponent(PoolProjection.class, c -> new PoolProjection(
                            c.getComponent(DeviceStates.class), c.queryUpdateEmitter()))
                    .registerQueryHandler(c -> c.getComponent(PoolProjection.class))
                    .eventProcessing(processing -> processing.usingSubscribingEventProcessors()
                            .registerEventHandler(c -> c.getComponent(PoolProjection.class)))
                    .buildConfiguration();
            axon.eventStore().registerDispatchInterceptor(new ChainStamp(storage, serializer));
            axon.start();
            return new Engine(dataSource, transactions, storage, asStored, serializer, devices, axon);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static JdbcEventStorageEngine storageEngine(JdbcTransactions transactions, JacksonSerializer serializer,
                                                        EventUpcaster upcasters) {
        return JdbcEventStorageEngine.builder()
                .connectionProvider(transactions)
                .transactionManager(transactions)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .upcasterChain(upcasters)
                .persistenceExceptionResolver(Engine::isDuplicateKey)
                .dataType(byte[].class)
                .batchSize(READ_BATCH)
                .build();
    }

    /** Decides one command for {@code actor}; a rule's refusal is an outcome, a store failure throws. */
    public Outcome send(DeviceCommand command, String actor) {
        for (int attempt = 1; ; attempt++) {
            try {
                return decide(command, actor);
            } catch (ConcurrencyException | AggregateStreamCreationException conflict) {
                if (attempt >= CONFLICT_RETRIES) {
                    throw new StoreFailure("device " + command.device() + " stayed contended after "
                            + attempt + " attempts", conflict);
                }
            }
        }
    }

    /**
     * Group commit: decides commands from the front of the list inside one store transaction and
     * returns their outcomes once it committed, so a group costs one commit instead of one each.
     *
     * <p>A group ends right after the first command whose outcome is not remembered (a rejection or
     * an accepted no-op, rules.md "Retries"): if the caller died before passing that outcome on, its
     * client would resend the command and it would be decided afresh, so no later command may be
     * committed before the caller has written that outcome out. Callers write the returned outcomes,
     * then call again with the rest.
     *
     * <p>If deciding fails (anything but a rule's rejection), nothing of the group is kept: the
     * transaction rolls back, the cached devices (which may hold its uncommitted decisions) are
     * dropped, and only the first command is decided again, alone, with the usual conflict retries.
     * If the commit itself fails, its outcome is unknown and the failure is thrown: deciding the
     * commands again could record some of them twice.
     *
     * @return the outcomes of the first 1..n commands, in order
     */
    public List<Outcome> sendGroup(List<DeviceCommand> commands, String actor) {
        if (commands.isEmpty()) {
            return List.of();
        }
        List<Outcome> outcomes = new ArrayList<>();
        Transaction group = transactions.startTransaction();
        try {
            for (DeviceCommand command : commands) {
                Outcome outcome = decide(command, actor);
                outcomes.add(outcome);
                if (!outcome.isSettled()) {
                    break;
                }
            }
        } catch (RuntimeException failure) {
            rollBackQuietly(group);
            devices.removeAll();
            return List.of(send(commands.get(0), actor));
        }
        try {
            group.commit();
        } catch (RuntimeException unknownOutcome) {
            devices.removeAll();
            throw unknownOutcome; // the commit may have happened: deciding again could record twice
        }
        return outcomes;
    }

    private Outcome decide(DeviceCommand command, String actor) {
        try {
            Decision decision = axon.commandGateway().sendAndWait(
                    new GenericCommandMessage<>(command, Map.of(ACTOR, actor)));
            return Outcome.of(decision);
        } catch (Rejection rejection) {
            return new Outcome.Rejected(rejection.code(), rejection.getMessage());
        }
    }

    private static void rollBackQuietly(Transaction transaction) {
        try {
            transaction.rollback();
        } catch (RuntimeException alreadyBroken) {
            // the connection failed with the batch; the batch is retried command by command below
        }
    }

    public Optional<PoolView> pool(String device) {
        return axon.queryGateway().query(new PoolQuery(device), PoolQueries.POOL_VIEW).join();
    }

    /** Every stored event in global order, as far as the store holds them now (no waiting for more). */
    public Stream<? extends TrackedEventMessage<?>> allEvents() {
        return storage.readEvents(null, false);
    }

    /**
     * Like {@link #allEvents()}, but each event as it was stored, not upcast: read its payload as
     * {@link #storedPayload}, never {@code getPayload()} (an older revision would not read right).
     */
    Stream<? extends TrackedEventMessage<?>> storedEvents() {
        return asStored.readEvents(null, false);
    }

    /** The JSON an event was stored as, and its revision, without deserializing it. */
    SerializedObject<JsonNode> storedPayload(EventMessage<?> event) {
        return event.serializePayload(serializer, JsonNode.class);
    }

    /**
     * One device's events in sequence order, as this engine reads them (upcast), from the start of
     * its stream: the store's (device, sequence) index, not a scan of the log, and no snapshot.
     */
    public Stream<? extends DomainEventMessage<?>> deviceEvents(String device) {
        return storage.readEvents(device, 0).asStream();
    }

    public Configuration axon() {
        return axon;
    }

    @Override
    public void close() {
        try {
            axon.shutdown();
        } finally {
            dataSource.close();
        }
    }

    /** SQLState 23505 is a unique violation in both PostgreSQL and H2: another writer took the sequence. */
    private static boolean isDuplicateKey(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
