package io.msixpool.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.msixpool.domain.event.DeviceEvent;

/**
 * The exported log, one JSON object a line: the event's own wire.md fields (type first) and one
 * more field, {@code envelope}. Keeping the envelope in its own object means no envelope name can
 * ever collide with an event field, now or after an event gains a field.
 */
public final class EventLogFormat {
    public static final String ENVELOPE = "envelope";

    /** A repeated key is refused: the chain hashes the value a reader keeps, and readers disagree on which. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventLogFormat() {
    }

    public static String write(LoggedEvent logged) {
        return tree(logged).toString();
    }

    /** The line as a JSON tree: what {@link #write} writes and what {@link Chain} hashes. */
    public static ObjectNode tree(LoggedEvent logged) {
        ObjectNode line = JSON.valueToTree(logged.event());
        line.set(ENVELOPE, JSON.valueToTree(logged.envelope()));
        return line;
    }

    /** Parses one line into its JSON tree, as {@link Chain#hashOf(ObjectNode)} takes it. */
    public static ObjectNode parse(String line) {
        try {
            return (ObjectNode) JSON.readTree(line);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("not an event log line: " + line, e);
        }
    }

    public static LoggedEvent read(String line) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            Envelope envelope = JSON.treeToValue(node.remove(ENVELOPE), Envelope.class);
            return new LoggedEvent(JSON.treeToValue(node, DeviceEvent.class), envelope);
        } catch (JsonProcessingException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an event log line: " + line, e);
        }
    }
}
