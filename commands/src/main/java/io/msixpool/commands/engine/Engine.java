package io.msixpool.commands.engine;

import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.LogOrder;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.store.StoreLocation.Access;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.projections.DeviceStates;
import io.msixpool.projections.PoolAt;
import io.msixpool.projections.PoolQuery;
import io.msixpool.projections.PoolWatch;
import io.msixpool.projections.PoolView;
import io.msixpool.replay.Upcasters;
import io.msixpool.replay.merkle.NoteKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.DomainEventMessage;

/**
 * The engine: Axon without Spring on a JDBC event store ({@link AxonWiring}), and the ways to use
 * it. Deciding: {@link #send} (one command on this thread, {@link Decider}), {@link #sendGroup} and
 * {@link #decideInGroups} (many in shared commits, {@link GroupCommit}), {@link #submitGrouped}
 * (concurrent senders, {@link GroupCommitter}). Reading: {@link #pool}, {@link #deviceEvents}, and
 * the log through {@link EventLog} ({@link EventStorage}); following: {@link #followPool} and
 * {@link #onCommitted}. A command's result is returned only after its events committed, which is
 * what makes an acknowledgement safe to act on.
 */
public final class Engine implements AutoCloseable {
    /** Event and command metadata key naming who caused a decision. */
    public static final String ACTOR = "actor";
    /** A snapshot every this many events bounds a cold load (and `msix pool`) to that many events. */
    static final int SNAPSHOT_EVERY = 250;
    /** Rows per query when reading events: export is not a query per 100 events. */
    public static final int READ_BATCH = 2_000;
    /** At most this many commands share one commit (and one transaction). */
    public static final int MAX_GROUP = GroupCommit.MAX_GROUP;
    /**
     * Group-commit writers on a store shared by processes (PostgreSQL), each with its own share of
     * the devices and its own transaction: well under the pool's 16 connections, which reads share.
     */
    static final int SHARED_STORE_WRITERS = 8;
    /** Devices whose aggregate stays in memory between commands (a strong, bounded LRU cache). */
    static final int CACHED_DEVICES = 10_000;
    /** How long closing waits for the event store's reader to finish its last read (one poll, one query). */
    private static final Duration STORE_THREAD_STOP = Duration.ofSeconds(5);

    private final HikariDataSource dataSource;
    private final JdbcTransactions transactions;
    private final EventStorage storage;
    private final AxonWiring.Wired wired;
    private final Decider decider;
    private final GroupCommit groupCommit;
    /** Group-commit writers: see {@link GroupCommitter}. */
    private final int writers;
    private GroupCommitter groupCommitter;
    private LogCheckpoints checkpoints;
    private Checkpointer checkpointer;
    /** The fleet kept current (a watchable engine), else null. */
    private final FleetFollower fleet;
    private final LogOrder logOrder;

    private Engine(HikariDataSource dataSource, JdbcTransactions transactions, EventStorage storage, Cache devices,
                   AxonWiring.Wired wired, int writers, FleetFollower fleet, LogOrder logOrder) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.storage = storage;
        this.wired = wired;
        this.decider = new Decider(wired.axon().commandBus());
        this.groupCommit = new GroupCommit(decider, transactions, devices);
        this.writers = writers;
        this.fleet = fleet;
        this.logOrder = logOrder;
    }

    /** The group commit of this engine, for a test's own {@link GroupCommitter}. */
    GroupCommit groupCommit() {
        return groupCommit;
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
            EventStorage storage = EventStorage.open(transactions, location, upcasters);
            if (access == Access.WRITE) {
                storage.createSchema(transactions, location);
            }
            Cache devices = DeviceCache.create(CACHED_DEVICES);
            // Scanned before Axon starts, so that the fleet's processor follows from where the scan ended.
            FleetFollower fleet = watchable ? new FleetFollower(FleetFollower.scan(transactions), transactions) : null;
            AxonWiring.Wired wired = AxonWiring.configure(storage, transactions, devices, location, watchable, fleet,
                    LogOrder.of(location).appendLock());
            wired.axon().start();
            int writers = location.sharedByProcesses() ? SHARED_STORE_WRITERS : 1;
            return new Engine(dataSource, transactions, storage, devices, wired, writers, fleet, LogOrder.of(location));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Decides one command for {@code actor} on this thread; a rule's refusal is an outcome, a store failure throws. */
    public Outcome send(DeviceCommand command, String actor) {
        return decider.send(new Submission(command, actor));
    }

    /**
     * Group commit: decides commands from the front of the list in one transaction and returns their
     * outcomes (of the first 1..n) once it committed; callers call again with the rest ({@link GroupCommit#decideGroup}).
     */
    public List<Outcome> sendGroup(List<DeviceCommand> commands, String actor) {
        return groupCommit.decideGroup(submissions(commands, actor));
    }

    /**
     * Decides every command in order, in group commits, handing each group's outcomes to
     * {@code answer} once it committed and before the next group is decided.
     *
     * @throws RuntimeException when a commit failed (its outcome is unknown); nothing after it is decided
     */
    public void decideInGroups(List<DeviceCommand> commands, String actor, Consumer<List<Outcome>> answer) {
        groupCommit.decideAll(submissions(commands, actor), answer);
    }

    private static List<Submission> submissions(List<DeviceCommand> commands, String actor) {
        return commands.stream().map(command -> new Submission(command, actor)).toList();
    }

    /**
     * Decides {@code command} in a group commit with the commands other threads have waiting
     * ({@link GroupCommitter}): concurrent callers share commits, a lone one waits for no one. msix serve sends so.
     */
    public CompletableFuture<Outcome> submitGrouped(DeviceCommand command, String actor) {
        return groupCommitter().submit(new Submission(command, actor));
    }

    private synchronized GroupCommitter groupCommitter() {
        if (groupCommitter == null) {
            groupCommitter = new GroupCommitter(groupCommit, writers);
        }
        return groupCommitter;
    }

    /**
     * The fleet of every device's PFs, rebuilt from the store at start and kept current from every
     * writer: a watchable engine's ({@link #openWatchable}); other engines read it with {@link FleetFollower#readNow}.
     */
    public FleetFollower fleet() {
        if (fleet == null) {
            throw new IllegalStateException("only a watchable engine follows the fleet");
        }
        return fleet;
    }

    /** Signs checkpoints with {@code key}, keeping the newest current until closed, as msix serve does; see {@link LogCheckpoints#open}. */
    public synchronized LogCheckpoints keepCheckpoints(NoteKey key) {
        if (checkpoints == null) {
            checkpoints = LogCheckpoints.open(this, key);
            checkpointer = new Checkpointer(checkpoints);
        }
        return checkpoints;
    }

    /** The checkpoints this engine signs, if it keeps them ({@link #keepCheckpoints}). */
    public synchronized Optional<LogCheckpoints> checkpoints() {
        return Optional.ofNullable(checkpoints);
    }

    /** A dry run on the store as it is now: see {@link DryRun}. It reads the store; it never writes. */
    public DryRun dryRun() {
        return new DryRun(new DeviceStates(axon().eventStore()));
    }

    public Optional<PoolView> pool(String device) {
        return axon().queryGateway().query(new PoolQuery(device), PoolQueries.POOL_VIEW).join();
    }

    /** The device's pool view read from the store now, with the sequence it shows; empty for an unknown device. */
    public Optional<PoolAt> poolAt(String device) {
        return axon().queryGateway().query(new PoolWatch(device), PoolQueries.POOL_AT).join();
    }

    /**
     * Hands {@code changes} the device's view after every batch of events that changed it, from the
     * watch feed's thread (a watchable engine: {@link #openWatchable}), until the returned stop is run.
     * Each is read after its batch, so the views of one device come in order of their sequence.
     */
    public Runnable followPool(String device, Consumer<PoolAt> changes) {
        return PoolQueries.follow(axon().queryGateway(), device, changes);
    }

    /**
     * {@code listener} learns (device, its last sequence) after each commit of this engine that appended
     * to a device, on the committing thread before the commands are answered: it must be quick.
     */
    public void onCommitted(BiConsumer<String, Long> listener) {
        wired.committed().onCommitted(listener);
    }

    /**
     * One device's events in sequence order, as this engine reads them (upcast), from the start of
     * its stream: the store's (device, sequence) index, not a scan of the log, and no snapshot.
     */
    public Stream<? extends DomainEventMessage<?>> deviceEvents(String device) {
        return storage.deviceEvents(device);
    }

    /** What keeps the log's order fixed once checkpointed, on this store: {@link LogCheckpoints}. */
    LogOrder logOrder() {
        return logOrder;
    }

    /** The store's events as Axon reads them: {@link EventLog}'s source. */
    EventStorage storage() {
        return storage;
    }

    /** True when the store answers a query now (within a second once connected). */
    public boolean storeAnswers() {
        return transactions.storeAnswers();
    }

    public Configuration axon() {
        return wired.axon();
    }

    /** The store's transactions, for plain JDBC beside Axon; outside a transaction, {@code getConnection()} is a connection of its own. */
    public JdbcTransactions transactions() {
        return transactions;
    }

    /**
     * Stops Axon, then waits for the event store's reader threads to finish their reads (Axon only asks them
     * to stop) before closing their connections: closing them first logged a failed read on a clean stop.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (checkpointer != null) {
                checkpointer.close();
            }
            if (groupCommitter != null) {
                groupCommitter.close(); // decides and answers what is already waiting
            }
        }
        try {
            wired.axon().shutdown();
            for (Thread thread : wired.storeThreads()) {
                thread.join(STORE_THREAD_STOP.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dataSource.close();
        }
    }
}
