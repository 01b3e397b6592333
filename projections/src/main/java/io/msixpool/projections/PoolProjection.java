package io.msixpool.projections;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryMessage;

/**
 * Serves pool views. Queries read the store (snapshot plus tail), so any process sees what any
 * other committed. Watchers (subscription queries on {@link PoolWatch}) get a new view once per unit
 * of work of the event handler that changed their device, read after it committed, with the sequence
 * it shows; unwatched devices cost nothing. Register it with a
 * tracking processor (Engine.openWatchable does): that processor reads committed events only, from
 * every writer, so a watcher never sees a view that a failed transaction later rolls back.
 */
public class PoolProjection {
    private static final String CHANGED_DEVICES = PoolProjection.class.getName() + ".changed";

    private final DeviceStates states;
    private final QueryUpdateEmitter updates;

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
    public void on(DeviceEvent event) {
        String device = event.device();
        if (!isWatched(device)) {
            return;
        }
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
        PoolAt view = PoolAt.of(states.loadAt(device));
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
