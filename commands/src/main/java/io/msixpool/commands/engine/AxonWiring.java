package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.domain.Device;
import io.msixpool.projections.DeviceStates;
import io.msixpool.projections.PoolProjection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;

/**
 * Axon without Spring, wired once: the store's transactions and serializers, the command bus, the
 * event store on {@link EventStorage}, the {@code Device} aggregate with a snapshot every
 * {@link Engine#SNAPSHOT_EVERY} events and the bounded cache, the pool projection and its query
 * handler, and, for a watchable engine, the tracking processor that feeds watchers. Every event is
 * linked into its device's chain as it is appended ({@link ChainStamp}).
 */
final class AxonWiring {
    static final int WATCH_BATCH = 256;
    /** The tracking processor that feeds watchers: it follows the store, so it sees every writer. */
    private static final String WATCH_FEED = "pool-watch-feed";

    /** The tracking processor that keeps the fleet current, from where the start-up scan ended. */
    private static final String FLEET_FEED = "fleet-feed";

    /** The configuration, the event store's reader threads (which closing waits for) and the sequences committed. */
    record Wired(Configuration axon, List<Thread> storeThreads, CommittedSequences committed) {
    }

    private AxonWiring() {
    }

    /**
     * @param location   where other processes write the store too, a device in memory is checked before
     *                   each command ({@link FreshDevices}), and a watchable engine is notified of their commits
     * @param watchable  pool watchers get a new view after every change of their device
     * @param fleet      the fleet to keep current from where its scan ended (null: none), with watchable only
     * @param appendLock taken by each appending transaction before its first insert (null: none): see LogOrder
     */
    static Wired configure(EventStorage storage, JdbcTransactions transactions, Cache devices, StoreLocation location,
                           boolean watchable, FleetFollower fleet, String appendLock) {
        boolean sharedStore = location.sharedByProcesses();
        CommittedSequences committed = new CommittedSequences(transactions);
        AppendGate appendGate = new AppendGate(transactions, appendLock);
        FreshDevices fresh = sharedStore ? new FreshDevices(devices, transactions, committed) : null;
        List<Thread> storeThreads = new CopyOnWriteArrayList<>();
        ThreadFactory storeThreadNames = new AxonThreadFactory("EmbeddedEventStore");
        Configuration axon = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> storage.serializer())
                .configureEventSerializer(c -> storage.serializer())
                .configureMessageSerializer(c -> storage.serializer())
                .configureTransactionManager(c -> transactions)
                .configureCommandBus(CommandBusFactory::create)
                .configureEventStore(c -> {
                    FollowedEventStore store = new FollowedEventStore(EmbeddedEventStore.builder()
                            .storageEngine(storage.forAxon())
                            .messageMonitor(c.messageMonitor(EmbeddedEventStore.class, "eventStore"))
                            .fetchDelay(location.othersPoll().toMillis())
                            .threadFactory(work -> {
                                Thread thread = storeThreadNames.newThread(work);
                                storeThreads.add(thread);
                                return thread;
                            }));
                    c.onShutdown(store::shutDown);
                    return store;
                })
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Device.class)
                        .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(
                                new LiveSnapshots(devices, c.eventStore(), c.snapshotter()), Engine.SNAPSHOT_EVERY))
                        .configureCache(c -> devices)
                        .configureCommandTargetResolver(c -> new DeviceTargets()))
                .configureCorrelationDataProviders(c -> List.of(
                        new MessageOriginProvider(), new SimpleCorrelationDataProvider(Engine.ACTOR)))
                .registerComponent(DeviceStates.class, c -> new DeviceStates(c.eventStore()))
                .registerComponent(PoolProjection.class, c -> new PoolProjection(
                        c.getComponent(DeviceStates.class), c.queryUpdateEmitter()))
                .registerQueryHandler(c -> c.getComponent(PoolProjection.class))
                .eventProcessing(processing -> {
                    if (watchable) {
                        feedWatchers(processing);
                    }
                    if (fleet != null) {
                        followFleet(processing, fleet);
                    }
                })
                .buildConfiguration();
        axon.eventStore().registerDispatchInterceptor(new ChainStamp(storage.forAxon(), storage.serializer(),
                committed, appendGate));
        FollowedEventStore followed = watchable ? (FollowedEventStore) axon.eventStore() : null;
        if (followed != null) {
            // Followers see this process's commits at once, not at the next poll (FollowedEventStore).
            committed.onCommitted((device, sequence) -> followed.committed());
        }
        if (location instanceof StoreLocation.Postgres postgres) {
            // Every writer notifies, so that the nodes' watches show a command line's writes at once
            // too; an engine that follows the store listens as well.
            StoreNotifications notifications = new StoreNotifications(postgres, transactions,
                    followed == null ? null : followed::committed);
            committed.onCommitted((device, sequence) -> notifications.committed());
            axon.onStart(notifications::start);
            axon.onShutdown(notifications::close);
        }
        if (fleet != null) {
            committed.onCommitted(fleet::committed);
        }
        if (fresh != null) {
            axon.commandBus().registerHandlerInterceptor(fresh);
        }
        return new Wired(axon, storeThreads, committed);
    }

    private static void followFleet(EventProcessingConfigurer processing, FleetFollower follower) {
        processing.registerTrackingEventProcessor(FLEET_FEED, Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(WATCH_BATCH)
                                .andInitialTrackingToken(source -> follower.startToken()))
                .registerTokenStore(FLEET_FEED, c -> new InMemoryTokenStore())
                .registerEventHandler(c -> follower)
                .assignHandlerInstancesMatching(FLEET_FEED, handler -> handler == follower);
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
}
