package io.msixpool.projections;

import io.msixpool.domain.Device;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Rebuilds a device's state from the event store. The store hands back the latest snapshot (the
 * aggregate as it was) followed by the events after it, so a read costs at most one snapshot
 * interval of events, not the device's whole history.
 */
public final class DeviceStates {
    private final EventStore eventStore;

    public DeviceStates(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    public DeviceState load(String device) {
        return fold(eventStore.readEvents(device));
    }

    public static DeviceState fold(DomainEventStream stream) {
        DeviceState state = DeviceState.EMPTY;
        while (stream.hasNext()) {
            Object payload = stream.next().getPayload();
            state = payload instanceof Device snapshot ? snapshot.state() : state.evolve((DeviceEvent) payload);
        }
        return state;
    }
}
