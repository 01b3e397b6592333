package io.msixpool.replay.audit;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.Envelope;

/** What a report needs to see of an audit as it runs: each event folded, and each finding. */
public interface AuditObserver {
    AuditObserver NONE = new AuditObserver() {
    };

    /**
     * An event was folded.
     *
     * @param beginsDecision true for the first event of a command's decision (one per command)
     * @param after          the device's state after the event
     */
    default void folded(Envelope envelope, DeviceEvent event, boolean beginsDecision, DeviceState after) {
    }

    default void found(Finding finding) {
    }
}
