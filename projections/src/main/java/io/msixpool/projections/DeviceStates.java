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

    /** A device's state and the sequence of its last event (-1 for a device without events). */
    public record Loaded(DeviceState state, long sequence) {
    }

    public DeviceState load(String device) {
        return fold(eventStore.readEvents(device));
    }

    /** The device as the rules decide on it (pools and retry memory), for a dry run. */
    public DeviceDraft loadDraft(String device) {
        return draftOf(eventStore.readEvents(device));
    }

    public Loaded loadAt(String device) {
        DomainEventStream stream = eventStore.readEvents(device);
        DeviceState state = fold(stream);
        Long last = stream.getLastSequenceNumber();
        return new Loaded(state, last == null ? -1 : last);
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
