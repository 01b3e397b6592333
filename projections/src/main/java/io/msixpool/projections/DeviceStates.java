package io.msixpool.projections;

import io.msixpool.domain.Device;
import io.msixpool.domain.DeviceDraft;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import org.axonframework.eventhandling.DomainEventMessage;
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

    /** The device as the rules decide on it (pools and retry memory), for a dry run. */
    public DeviceDraft loadDraft(String device) {
        return draftOf(eventStore.readEvents(device));
    }

    public static DeviceState fold(DomainEventStream stream) {
        return draftOf(stream).state();
    }

    /** The one fold of a stored device: a snapshot replaces what came before it, events evolve it. */
    private static DeviceDraft draftOf(DomainEventStream stream) {
        DeviceDraft draft = DeviceDraft.empty();
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (message.getPayload() instanceof Device snapshot) {
                draft = DeviceDraft.of(snapshot);
            } else {
                draft.take((DeviceEvent) message.getPayload(), message.getMetaData());
            }
        }
        return draft;
    }
}
