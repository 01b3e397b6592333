package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.projections.fleet.Fleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * The fleet of a serving engine (docs/http.md "Fleet"): rebuilt from the store at start by a raw
 * scan of its events ({@link #scan}), then kept current by a tracking processor that starts exactly
 * where the scan ended, so that no event falls between them, and that follows every writer of the
 * store. Listeners get the PFs each batch of events changed.
 */
public final class FleetFollower {
    /**
     * Axon's JDBC storage treats a missing position this far below the newest as a gap that a slow
     * transaction may still fill (PostgreSQL hands positions out before commits, which may come in
     * another order); the scan's token keeps the same window, so such an event is still picked up.
     */
    private static final int GAP_WINDOW = 10_000;
    private static final String BATCH_CHANGES = FleetFollower.class.getName() + ".changes";

    /** What the start-up scan found and how long it took, for the server's log and the benchmark. */
    public record Rebuilt(long events, int pfs, Duration took) {
    }

    /** The fleet as the scan left it, and the token to follow the store from. */
    record Start(Fleet fleet, TrackingToken token, Rebuilt rebuilt) {
    }

    private final Fleet fleet;
    private final TrackingToken startToken;
    private final Rebuilt rebuilt;
    private final List<Consumer<List<Fleet.Change>>> listeners = new CopyOnWriteArrayList<>();
    /** Sequences this node committed that the fleet may not show yet, by device. */
    private final Map<String, Long> committedHere = new ConcurrentHashMap<>();

    /** Changes are handed on where they show whole commits. */
    private final WholeCommits wholeCommits;

    FleetFollower(Start start, JdbcTransactions transactions) {
        this.wholeCommits = new WholeCommits(transactions);
        this.fleet = start.fleet();
        this.startToken = start.token();
        this.rebuilt = start.rebuilt();
    }

    /** Reads every event of the store in global order into a fleet, noting the positions missing near the end. */
    static Start scan(JdbcTransactions transactions) {
        long started = System.nanoTime();
        Fleet.Builder builder = new Fleet.Builder();
        long[] last = {0};
        TreeSet<Long> missing = new TreeSet<>();
        long events = StoredEventScan.forEach(transactions, (position, sequence, event) -> {
            for (long absent = Math.max(last[0] + 1, position - GAP_WINDOW); absent < position; absent++) {
                missing.add(absent);
            }
            last[0] = position;
            if (missing.size() > 2 * GAP_WINDOW) {
                missing.headSet(position - GAP_WINDOW).clear();
            }
            builder.take(event, sequence);
        });
        TrackingToken token = events == 0 ? null
                : GapAwareTrackingToken.newInstance(last[0], missing.tailSet(last[0] - GAP_WINDOW, true));
        Fleet fleet = builder.build();
        return new Start(fleet, token, new Rebuilt(events, fleet.pfCount(), Duration.ofNanos(System.nanoTime() - started)));
    }

    /** A fleet read from the store now, not followed (the command line's {@code msix fleet} and {@code msix place}). */
    public static Fleet readNow(Engine engine) {
        return scan(engine.transactions()).fleet();
    }

    /** Where the scan ended: the following starts here (null for an empty store: from its first event). */
    TrackingToken startToken() {
        return startToken;
    }

    public Fleet fleet() {
        return fleet;
    }

    public Rebuilt rebuilt() {
        return rebuilt;
    }

    /** {@code changes} gets the PFs each batch of events changed, on the processor's thread: it must be quick. */
    public void onChanges(Consumer<List<Fleet.Change>> changes) {
        listeners.add(changes);
    }

    @EventHandler
    public void on(DeviceEvent event, @SequenceNumber long sequence) {
        List<Fleet.Change> changes = fleet.apply(event, sequence);
        wholeCommits.applied(event.device(), sequence);
        committedHere.computeIfPresent(event.device(), (device, committed) -> committed <= sequence ? null : committed);
        if (!CurrentUnitOfWork.isStarted()) {
            taken(changes);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        batch.<List<Fleet.Change>>getOrComputeResource(BATCH_CHANGES, key -> {
            List<Fleet.Change> all = new ArrayList<>();
            batch.afterCommit(done -> taken(all));
            return all;
        }).addAll(changes);
    }

    private void taken(List<Fleet.Change> batch) {
        List<Fleet.Change> changes = batch.isEmpty() ? batch : wholeCommits.ready(batch);
        if (!changes.isEmpty()) {
            listeners.forEach(listener -> listener.accept(changes));
        }
        synchronized (this) {
            notifyAll(); // readers waiting for this node's commits
        }
    }

    /** This node committed the device's events up to {@code sequence} (on the committing thread: quick). */
    void committed(String device, long sequence) {
        committedHere.merge(device, sequence, Math::max);
    }

    /**
     * Waits until the fleet shows every commit this node made before the call, so that an answer
     * read after it shows at least every command this node has answered (docs/http.md "Fleet").
     *
     * @return false when {@code timeout} passed first
     */
    public boolean showsCommitsOfThisNode(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, Long> commit : committedHere.entrySet()) {
            synchronized (this) {
                while (fleet.sequenceOf(commit.getKey()) < commit.getValue()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            committedHere.remove(commit.getKey(), commit.getValue());
        }
        return true;
    }
}
