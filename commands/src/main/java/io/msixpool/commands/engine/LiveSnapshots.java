package io.msixpool.commands.engine;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Snapshots a device from the aggregate the engine holds in memory, as the command that triggered
 * the snapshot left it. Axon's snapshotter instead rebuilds the device from the store (the last
 * snapshot deserialized, then up to {@link Engine#SNAPSHOT_EVERY} events read and folded again),
 * which at 64 clients was 12% of the writer's CPU for a state it already had. A device not in
 * memory (evicted) is left to Axon's snapshotter.
 *
 * <p>As Axon's, it runs once the command's unit of work committed, inside the group's transaction,
 * and a failure to store the snapshot is not the command's failure: the next trigger tries again.
 */
final class LiveSnapshots implements Snapshotter {
    private final Cache devices;
    private final EventStore eventStore;
    private final Snapshotter fromStore;

    LiveSnapshots(Cache devices, EventStore eventStore, Snapshotter fromStore) {
        this.devices = devices;
        this.eventStore = eventStore;
        this.fromStore = fromStore;
    }

    @Override
    public void scheduleSnapshot(Class<?> aggregateType, String aggregateIdentifier) {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().phase().isBefore(UnitOfWork.Phase.COMMIT)) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> snapshot(aggregateType, aggregateIdentifier));
        } else {
            snapshot(aggregateType, aggregateIdentifier);
        }
    }

    private void snapshot(Class<?> aggregateType, String device) {
        EventSourcedAggregate<?> live = inMemory(device);
        if (live == null || live.isDeleted() || live.version() == null) {
            fromStore.scheduleSnapshot(aggregateType, device);
            return;
        }
        try {
            eventStore.storeSnapshot(new GenericDomainEventMessage<>(live.type(), device, live.version(),
                    live.getAggregateRoot()));
        } catch (RuntimeException failed) {
            // Best effort, as Axon's: a device without a recent snapshot loads more events, nothing more.
        }
    }

    /** The aggregate the repository saved last for this device, or null when it is not in memory. */
    private EventSourcedAggregate<?> inMemory(String device) {
        AggregateCacheEntry<?> entry = devices.get(device);
        try {
            // An entry kept on the heap (DeviceCache) holds the aggregate itself and hands it back as
            // it is; only a copied entry would need the model to rebuild one, and it is left to Axon.
            return entry == null ? null : entry.recreateAggregate(null, null, null);
        } catch (RuntimeException copiedEntry) {
            return null;
        }
    }
}
