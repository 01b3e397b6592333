package io.msixpool.commands.engine;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.LoggedEvent;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;

/** Reads the store as the exported log: each event with its envelope, in global order. */
public final class EventLog {
    private EventLog() {
    }

    public static Stream<LoggedEvent> read(Engine engine) {
        return engine.allEvents().map(EventLog::logged);
    }

    public static LoggedEvent logged(TrackedEventMessage<?> message) {
        DomainEventMessage<?> domain = (DomainEventMessage<?>) message;
        Envelope envelope = new Envelope(
                message.trackingToken().position().orElseThrow(),
                domain.getSequenceNumber(),
                message.getTimestamp(),
                (String) message.getMetaData().get(io.msixpool.domain.Device.COMMAND_ID),
                (String) message.getMetaData().get(Engine.ACTOR),
                (String) message.getMetaData().get(ChainStamp.PREV),
                (String) message.getMetaData().get(ChainStamp.HASH));
        return new LoggedEvent((DeviceEvent) message.getPayload(), envelope);
    }
}
