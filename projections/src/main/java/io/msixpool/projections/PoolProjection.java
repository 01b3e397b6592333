package io.msixpool.projections;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryMessage;

/**
 * Serves pool views. Queries read the store (snapshot plus tail), so any process sees what any
 * other committed. Watchers (subscription queries on {@link PoolWatch}) get a new view once per unit
 * of work of the event handler that changed their device, after it committed, with the sequence it
 * shows, which is the store's present (whole commits: a batch of the handler may end inside one).
 * A watched device is read from the store once, then kept in memory: folded event by event as the
 * handler takes them, and brought up to the store's present for each view by reading only the
 * events after those (a whole read per view, snapshot and tail, cost milliseconds of every view's
 * latency); unwatched devices cost nothing. Register it with a
 * tracking processor (Engine.openWatchable does): that processor reads committed events only, from
 * every writer, so a watcher never sees a view that a failed transaction later rolls back.
 */
public class PoolProjection {
    private static final String CHANGED_DEVICES = PoolProjection.class.getName() + ".changed";

    private final DeviceStates states;
    private final QueryUpdateEmitter updates;
    /** Each watched device as its last view showed it, and folded on with the events handled since. */
    private final Map<String, DeviceStates.Loaded> watched = new ConcurrentHashMap<>();

    public PoolProjection(DeviceStates states, QueryUpdateEmitter updates) {
        this.states = states;
        this.updates = updates;
    }

    @QueryHandler
    public Optional<PoolView> handle(PoolQuery query) {
        DeviceState state = states.load(query.device());
        return state.known() ? Optional.of(PoolView.of(state)) : Optional.empty();
    }

    @QueryHandler
    public Optional<PoolAt> handle(PoolWatch query) {
        DeviceStates.Loaded loaded = states.loadAt(query.device());
        return loaded.state().known() ? Optional.of(PoolAt.of(loaded)) : Optional.empty();
    }

    @EventHandler
    public void on(DeviceEvent event, @SequenceNumber long sequence) {
        String device = event.device();
        if (!isWatched(device)) {
            watched.remove(device);
            return;
        }
        watched.computeIfPresent(device, (key, last) -> sequence == last.sequence() + 1
                ? new DeviceStates.Loaded(last.state().evolve(event), sequence)
                : last); // shown already, or after a gap that catching up with the store fills
        if (!CurrentUnitOfWork.isStarted()) {
            emitViewOf(device);
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        Set<String> changed = unitOfWork.getOrComputeResource(CHANGED_DEVICES, key -> new HashSet<>());
        if (changed.add(device)) {
            unitOfWork.afterCommit(committed -> emitViewOf(device));
        }
    }

    private void emitViewOf(String device) {
        if (watched.size() > updates.activeSubscriptions().size()) {
            watched.keySet().removeIf(key -> !isWatched(key)); // devices no longer watched that did not change since
        }
        PoolAt view = PoolAt.of(watched.compute(device,
                (key, known) -> known == null ? states.loadAt(key) : states.catchUp(key, known)));
        updates.emit(PoolWatch.class, query -> query.device().equals(device), view);
    }

    private boolean isWatched(String device) {
        for (SubscriptionQueryMessage<?, ?, ?> subscription : updates.activeSubscriptions()) {
            if (subscription.getPayload() instanceof PoolWatch query && query.device().equals(device)) {
                return true;
            }
        }
        return false;
    }
}
