package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.store.StoreLocation.Access;
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
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Consumer;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.domain.event.DeviceEvent;
import java.time.Duration;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.extensions.reactor.commandhandling.gateway.DefaultReactorCommandGateway;
import org.axonframework.extensions.reactor.commandhandling.gateway.ReactorCommandGateway;
import org.axonframework.messaging.StreamableMessageSource;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.json.JacksonSerializer;

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
    /**
     * Group-commit writers on a store shared by processes (PostgreSQL), each with its own share of
     * the devices and its own transaction: well under the pool's 16 connections, which reads share.
     */
    static final int SHARED_STORE_WRITERS = 8;
    /** Devices whose aggregate stays in memory between commands (a strong, bounded LRU cache). */
    static final int CACHED_DEVICES = 10_000;
    /** Another writer (another node) appended first: decide again on the new state, this many times. */
    private static final int CONFLICT_RETRIES = 20;
    /** How often a watchable engine polls the store for events that other processes appended. */
    static final Duration WATCH_POLL = Duration.ofMillis(100);
    static final int WATCH_BATCH = 256;
    /** The tracking processor that feeds watchers: it follows the store, so it sees every writer. */
    private static final String WATCH_FEED = "pool-watch-feed";
    /** How long closing waits for the event store's reader to finish its last read (one poll, one query). */
    private static final Duration STORE_THREAD_STOP = Duration.ofSeconds(5);

    private final HikariDataSource dataSource;
    private final JdbcTransactions transactions;
    private final JdbcEventStorageEngine storage;
    private final JdbcEventStorageEngine asStored;
    private final JacksonSerializer serializer;
    private final Cache devices;
    private final Configuration axon;
    private final ReactorCommandGateway gateway;
    private GroupCommitter groupCommitter;
    private final List<Thread> storeThreads;
    /** Group-commit writers: see {@link GroupCommitter}. */
    private final int writers;

    private Engine(HikariDataSource dataSource, JdbcTransactions transactions, JdbcEventStorageEngine storage,
                   JdbcEventStorageEngine asStored, JacksonSerializer serializer, Cache devices, Configuration axon,
                   List<Thread> storeThreads, int writers) {
        this.dataSource = dataSource;
        this.writers = writers;
        this.storeThreads = storeThreads;
        this.transactions = transactions;
        this.storage = storage;
        this.asStored = asStored;
        this.serializer = serializer;
        this.devices = devices;
        this.axon = axon;
        this.gateway = DefaultReactorCommandGateway.builder().commandBus(axon.commandBus()).build();
    }

    /**
     * An engine for deciding commands and reading pools (the command line): nobody watches. It
     * creates an embedded store where there is none and is its one writer until closed.
     */
    public static Engine open(StoreLocation location) {
        return open(location, Access.WRITE, false, Upcasters.CURRENT);
    }

    /**
     * An engine that only reads (pool, history, export, audit and replay of a store): it never
     * creates, changes or locks a store, so it reads an embedded store while another process writes it.
     *
     * @throws io.msixpool.commands.store.StoreMissing where there is no store
     */
    public static Engine openReader(StoreLocation location) {
        return open(location, Access.READ, false, Upcasters.CURRENT);
    }

    /**
     * An engine whose pool watchers (subscription queries on {@link PoolQuery}) get a new view after
     * every change of their device, whichever process or node wrote it: a tracking processor follows
     * the store from its head, so watchers only ever see committed events. {@code msix serve} uses it.
     */
    public static Engine openWatchable(StoreLocation location) {
        return open(location, Access.WRITE, true, Upcasters.CURRENT);
    }

    /** An engine that reads events of older revisions with {@code upcasters} (tests pass their own steps). */
    static Engine open(StoreLocation location, Upcasters upcasters) {
        return open(location, Access.WRITE, false, upcasters);
    }

    private static Engine open(StoreLocation location, Access access, boolean watchable, Upcasters upcasters) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        HikariDataSource dataSource = location.open(access);
        try {
            JdbcTransactions transactions = new JdbcTransactions(dataSource, location.probeBeforeCommit());
            JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
            JdbcEventStorageEngine storage =
                    storageEngine(transactions, serializer, AxonUpcasters.chain(upcasters), location);
            // The export writes events as they were stored, so it reads them without upcasting.
            JdbcEventStorageEngine asStored =
                    storageEngine(transactions, serializer, NoOpEventUpcaster.INSTANCE, location);
            if (access == Access.WRITE) {
                createSchema(storage, transactions, location);
            }
            Cache devices = DeviceCache.create(CACHED_DEVICES);
            // Other processes write a shared store: a device in memory is checked before each command.
            FreshDevices fresh = location.sharedByProcesses() ? new FreshDevices(devices, transactions) : null;
            List<Thread> storeThreads = new CopyOnWriteArrayList<>();
            ThreadFactory storeThreadNames = new AxonThreadFactory("EmbeddedEventStore");
            Configuration axon = DefaultConfigurer.defaultConfiguration()
                    .configureSerializer(c -> serializer)
                    .configureEventSerializer(c -> serializer)
                    .configureMessageSerializer(c -> serializer)
                    .configureTransactionManager(c -> transactions)
                    .configureCommandBus(CommandBusFactory::create)
                    .configureEventStore(c -> {
                        EmbeddedEventStore store = EmbeddedEventStore.builder()
                                .storageEngine(storage)
                                .messageMonitor(c.messageMonitor(EmbeddedEventStore.class, "eventStore"))
                                .fetchDelay(WATCH_POLL.toMillis())
                                .threadFactory(work -> {
                                    Thread thread = storeThreadNames.newThread(work);
                                    storeThreads.add(thread);
                                    return thread;
                                })
                                .build();
                        c.onShutdown(store::shutDown);
                        return store;
                    })
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
                    .eventProcessing(processing -> {
                        if (watchable) {
                            feedWatchers(processing);
                        }
                    })
                    .buildConfiguration();
            axon.eventStore().registerDispatchInterceptor(new ChainStamp(storage, serializer,
                    fresh == null ? (device, sequence) -> { } : fresh::appending));
            if (fresh != null) {
                axon.commandBus().registerHandlerInterceptor(fresh);
            }
            axon.start();
            int writers = location.sharedByProcesses() ? SHARED_STORE_WRITERS : 1;
            return new Engine(dataSource, transactions, storage, asStored, serializer, devices, axon, storeThreads,
                    writers);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
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
                .batchSize(READ_BATCH)
                .build();
    }

    /**
     * Creates the tables where missing, in one transaction that first takes the store's schema lock
     * (if it has one), so that nodes starting together on a fresh shared store create them once
     * and the others wait for that commit and find them, instead of failing to start.
     */
    private static void createSchema(JdbcEventStorageEngine storage, JdbcTransactions transactions,
                                     StoreLocation location) {
        Transaction transaction = transactions.startTransaction();
        try {
            if (location.schemaLock() != null) {
                try (var connection = transactions.getConnection(); var statement = connection.createStatement()) {
                    statement.execute(location.schemaLock());
                }
            }
            storage.createSchema(location.tables());
        } catch (SQLException | RuntimeException failure) {
            rollBackQuietly(transaction);
            throw new StoreFailure("cannot create the event store's tables", failure);
        }
        transaction.commit();
    }

    private static void feedWatchers(EventProcessingConfigurer processing) {
        processing.registerTrackingEventProcessor(WATCH_FEED, Configuration::eventStore,
                        // Batches of events: a watcher gets one view per batch that changed its device.
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(WATCH_BATCH)
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                .registerTokenStore(WATCH_FEED, c -> new InMemoryTokenStore())
                .registerEventHandler(c -> c.getComponent(PoolProjection.class))
                .assignHandlerInstancesMatching(WATCH_FEED, handler -> handler instanceof PoolProjection);
    }

    /** Decides one command for {@code actor} on this thread; a rule's refusal is an outcome, a store failure throws. */
    public Outcome send(DeviceCommand command, String actor) {
        return withConflictRetries(decision(command, actor), command).block();
    }

    /** Another writer took the device's next sequence: decide again on the new state. */
    private static Mono<Outcome> withConflictRetries(Mono<Outcome> decision, DeviceCommand command) {
        return decision.retryWhen(Retry.max(CONFLICT_RETRIES - 1)
                .filter(failure -> failure instanceof ConcurrencyException
                        || failure instanceof AggregateStreamCreationException)
                .onRetryExhaustedThrow((spec, signal) -> new StoreFailure("device " + command.device()
                        + " stayed contended after " + CONFLICT_RETRIES + " attempts", signal.failure())));
    }

    /**
     * Group commit: decides commands from the front of the list inside one store transaction and
     * returns their outcomes once it committed, so a group costs one commit instead of one each.
     *
     * <p>A group ends right after the first command whose outcome is not remembered (a rejection or
     * an accepted no-op, docs/rules.md "Retries"): if the caller died before passing that outcome on, its
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
        return sendGroupOf(commands.stream().map(command -> new Submission(command, actor)).toList());
    }

    /** A command and who sends it. */
    public record Submission(DeviceCommand command, String actor) {
    }

    /** {@link #sendGroup} for commands of several senders. */
    public List<Outcome> sendGroupOf(List<Submission> submissions) {
        if (submissions.isEmpty()) {
            return List.of();
        }
        List<Outcome> outcomes = new ArrayList<>();
        Transaction group = transactions.startTransaction();
        try {
            for (Submission submission : submissions) {
                Outcome outcome = decision(submission.command(), submission.actor()).block();
                outcomes.add(outcome);
                if (!outcome.isSettled()) {
                    break;
                }
            }
        } catch (RuntimeException failure) {
            rollBackQuietly(group);
            devices.removeAll();
            Submission first = submissions.get(0);
            return List.of(send(first.command(), first.actor()));
        }
        try {
            group.commit();
        } catch (RuntimeException unknownOutcome) {
            devices.removeAll();
            throw unknownOutcome; // the commit may have happened: deciding again could record twice
        }
        return outcomes;
    }

    /**
     * Decides {@code command} in a group commit with whatever other commands are waiting (from any
     * thread): one writer thread takes every waiting command, decides them in one transaction and
     * completes each result after that commit. Concurrent callers thus share commits instead of
     * queueing for one each; a lone caller waits for no one. {@code msix serve} sends this way.
     */
    public Mono<Outcome> submitGrouped(DeviceCommand command, String actor) {
        return Mono.defer(() -> Mono.fromFuture(groupCommitter().submit(new Submission(command, actor)), true));
    }

    private synchronized GroupCommitter groupCommitter() {
        if (groupCommitter == null) {
            groupCommitter = new GroupCommitter(this, writers);
        }
        return groupCommitter;
    }

    /**
     * One attempt at deciding, run by whichever thread subscribes: Axon's command bus handles the
     * command on the dispatching thread, which is what keeps a group's commands in its transaction.
     */
    private Mono<Outcome> decision(DeviceCommand command, String actor) {
        return gateway.<Decision>send(new GenericCommandMessage<>(command, Map.of(ACTOR, actor)))
                .map(Outcome::of)
                .onErrorResume(Rejection.class,
                        rejection -> Mono.just(new Outcome.Rejected(rejection.code(), rejection.getMessage())));
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
     * One device's events in sequence order, as this engine reads them (upcast), from the start of
     * its stream: the store's (device, sequence) index, not a scan of the log, and no snapshot.
     */
    public Stream<? extends DomainEventMessage<?>> deviceEvents(String device) {
        return storage.readEvents(device, 0).asStream();
    }

    /**
     * Hands every stored event to {@code sink} in global order, read with plain JDBC: the fast path
     * for replays that need only the events. Axon's tracked read of the same rows spends most of its
     * time on tracking-token bookkeeping, timestamp parsing and metadata (docs/benchmarks.md); a
     * replay needs none of them. Older revisions go through the same upcaster steps as the export.
     *
     * @return how many events were read
     */
    public long forEachStoredEvent(Consumer<DeviceEvent> sink) {
        ObjectReader events = Json.mapper().readerFor(DeviceEvent.class);
        long count = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // PostgreSQL streams by fetch size only inside a transaction
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT payloadType, payloadRevision, payload FROM domainevententry ORDER BY globalIndex")) {
                select.setFetchSize(READ_BATCH);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String type = rows.getString(1);
                        String revision = rows.getString(2);
                        byte[] payload = rows.getBytes(3);
                        String current = Upcasters.currentRevision(type.substring(type.lastIndexOf('.') + 1));
                        sink.accept(Objects.equals(revision, current)
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

    /** True when the store answers a query now. */
    public boolean storeAnswers() {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.setQueryTimeout(5);
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    public Configuration axon() {
        return axon;
    }

    /** The store's transactions, for writing rows with plain JDBC beside Axon (LogImport). */
    JdbcTransactions transactions() {
        return transactions;
    }

    /**
     * Stops Axon, then waits for the event store's reader thread to finish the read it may be in
     * (Axon's shutdown only asks it to stop) before closing the connections under it: closing them
     * first made a clean stop log a failed read with a stack trace.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (groupCommitter != null) {
                groupCommitter.close(); // decides and answers what is already waiting
            }
        }
        try {
            axon.shutdown();
            for (Thread thread : storeThreads) {
                thread.join(STORE_THREAD_STOP.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dataSource.close();
        }
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
}
