package io.msixpool.domain;

import io.msixpool.domain.event.DeviceEvent;
import java.util.List;

/**
 * What became of a command, as a value: accepted with the events it records (none for a no-op), a
 * duplicate of a remembered command (recording nothing), or refused by a rule. The rules
 * ({@link DeviceRules}) and the retry memory ({@link RecentCommands}) return it; only the aggregate
 * ({@link Device}) turns a refusal into what Axon needs, so the auditor and the benchmark's CRUD
 * allocator read the same values without catching anything.
 */
public sealed interface Decision {
    Decision DUPLICATE = new Duplicate();

    static Decision accepted(List<DeviceEvent> events) {
        return new Accepted(events);
    }

    /** True for the repeat of a remembered command. */
    default boolean duplicate() {
        return this instanceof Duplicate;
    }

    /** The events the command records: none for a duplicate or a refusal. */
    default List<DeviceEvent> events() {
        return List.of();
    }

    record Accepted(List<DeviceEvent> events) implements Decision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    record Duplicate() implements Decision {
    }

    /** A rule's refusal: the code is the contract, the message says why in words. */
    record Refused(RejectionCode code, String message) implements Decision {
    }
}
