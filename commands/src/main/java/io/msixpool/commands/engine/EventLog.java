package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.LoggedEvent;
import io.msixpool.replay.Upcasters;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.serialization.SerializedObject;

/**
 * Reads the store as the exported log, in global order: {@link #lines} as the export writes them
 * (each event as it was stored, whatever revision), {@link #read} as this code reads them (upcast).
 */
public final class EventLog {
    private EventLog() {
    }

    /** The exported log: each line the event's stored JSON plus its envelope, what the chain hashed. */
    public static Stream<ObjectNode> lines(Engine engine) {
        return lines(engine, 0);
    }

    /** {@link #lines} after global position {@code after}, as far as the store holds them now. */
    public static Stream<ObjectNode> lines(Engine engine, long after) {
        return engine.storage().storedEvents(after).map(message -> {
            SerializedObject<JsonNode> stored = engine.storage().storedPayload(message);
            return EventLogFormat.line((ObjectNode) stored.getData(), envelope(message, stored.getType().getRevision()));
        });
    }

    /** Each event in its current revision, with its envelope; verify the chain on {@link #lines}, not on these. */
    public static Stream<LoggedEvent> read(Engine engine) {
        return engine.storage().allEvents().map(EventLog::logged);
    }

    static LoggedEvent logged(TrackedEventMessage<?> message) {
        DeviceEvent event = (DeviceEvent) message.getPayload();
        return new LoggedEvent(event, envelope(message, Upcasters.currentRevision(event.getClass().getSimpleName())));
    }

    private static Envelope envelope(TrackedEventMessage<?> message, String revision) {
        return StoredEnvelope.of(message.getMetaData(), message.trackingToken().position().orElseThrow(),
                ((DomainEventMessage<?>) message).getSequenceNumber(), message.getTimestamp(), revision);
    }
}
