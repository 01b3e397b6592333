package io.msixpool.replay;

import io.msixpool.domain.event.DeviceEvent;

/** One line of the exported event log: the event as docs/wire.md writes it, plus its envelope. */
public record LoggedEvent(DeviceEvent event, Envelope envelope) {
}
