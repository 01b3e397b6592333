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

    /** A device's state and the sequence of its last event (-1 for a device without events). */
    public record Loaded(DeviceState state, long sequence) {
    }

    public DeviceState load(String device) {
        return fold(eventStore.readEvents(device));
    }

    public Loaded loadAt(String device) {
        DomainEventStream stream = eventStore.readEvents(device);
        DeviceState state = fold(stream);
        Long last = stream.getLastSequenceNumber();
        return new Loaded(state, last == null ? -1 : last);
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
