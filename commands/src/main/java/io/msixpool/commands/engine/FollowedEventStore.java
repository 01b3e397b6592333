package io.msixpool.commands.engine;

import java.util.List;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's event store, woken after each commit of this process. Axon wakes its reader when a unit of
 * work commits, but the engine's store transaction (a group of commands) commits after that, so the
 * reader found nothing new and slept a whole poll interval: followers (watches, the fleet) saw this
 * node's own commands up to {@link AxonWiring#WATCH_POLL} late. Other nodes' commits still wait for a poll.
 */
final class FollowedEventStore extends EmbeddedEventStore {
    FollowedEventStore(Builder builder) {
        super(builder);
    }

    /** A transaction of this process committed events: read them now. */
    void committed() {
        afterCommit(List.of());
    }
}
