package io.msixpool.projections;

import io.msixpool.domain.Device;
import io.msixpool.domain.DeviceDraft;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import java.util.function.BiFunction;
import java.util.function.Function;
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

    /**
     * {@code known} brought up to the store's present: the device's events after it, folded onto it,
     * without reading the snapshot and the events {@code known} already shows.
     */
    public Loaded catchUp(String device, Loaded known) {
        DomainEventStream tail = eventStore.readEvents(device, known.sequence() + 1);
        DeviceState state = fold(tail, known.state(), Device::state,
                (folded, message) -> folded.evolve((DeviceEvent) message.getPayload()));
        Long last = tail.getLastSequenceNumber();
        return last == null ? known : new Loaded(state, last);
    }

    /**
     * The pools alone, as a view shows them: the aggregate checked the invariants when it decided, and
     * a view needs no retry memory, so neither costs a read (a PF may have thousands of VFs to check).
     */
    public static DeviceState fold(DomainEventStream stream) {
        return fold(stream, DeviceState.EMPTY, Device::state,
                (state, message) -> state.evolve((DeviceEvent) message.getPayload()));
    }

    /** The device as the rules decide on it: its pools checked event by event, and its retry memory. */
    private static DeviceDraft draftOf(DomainEventStream stream) {
        return fold(stream, DeviceDraft.empty(), DeviceDraft::of, (draft, message) -> {
            draft.take((DeviceEvent) message.getPayload(), message.getMetaData());
            return draft;
        });
    }

    /** The one walk of a stored device: the latest snapshot replaces what came before it, each event after it is taken. */
    private static <T> T fold(DomainEventStream stream, T empty, Function<Device, T> fromSnapshot,
                              BiFunction<T, DomainEventMessage<?>, T> take) {
        T folded = empty;
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            folded = message.getPayload() instanceof Device snapshot ? fromSnapshot.apply(snapshot) : take.apply(folded, message);
        }
        return folded;
    }
}
