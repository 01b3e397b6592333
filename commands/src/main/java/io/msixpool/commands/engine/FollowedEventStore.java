package io.msixpool.commands.engine;

import java.util.List;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's event store, woken after each commit of this process. Axon wakes its reader when a unit of
 * work commits, but the engine's store transaction (a group of commands) commits after that, so the
 * reader found nothing new and slept a whole poll interval: followers (watches, the fleet) saw this
 * node's own commands a poll late ({@link io.msixpool.commands.store.StoreLocation#othersPoll}). Other
 * nodes' commits wake it through {@link StoreNotifications} on PostgreSQL.
 */
final class FollowedEventStore extends EmbeddedEventStore {
    FollowedEventStore(Builder builder) {
        super(builder);
    }

    /** A transaction of this process, or of another node, committed events: read them now. */
    void committed() {
        afterCommit(List.of());
    }
}
