package io.msixpool.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.msixpool.domain.event.DeviceEvent;
import java.io.IOException;
import java.util.List;

/**
 * The exported log, one JSON object a line: the event's own docs/wire.md fields (type first) and one
 * more field, {@code envelope}. Keeping the envelope in its own object means no envelope name can
 * ever collide with an event field, now or after an event gains a field.
 *
 * <p>A line holds the event as it was stored, in the revision named by {@code envelope.revision};
 * {@link #read} upcasts it to the current revision. So verify the chain on lines
 * ({@code Chain.hashOf(EventLogFormat.parse(line))}), not on what {@link #read} returns.
 */
public final class EventLogFormat {
    public static final String ENVELOPE = "envelope";

    /**
     * Strict, because the auditor must see what a line says and nothing else: a repeated key is
     * refused (the hash covers one of its values, a reader could take another); so is anything
     * after a line's object (a second object hidden behind a bare carriage return, say, which
     * other readers count as a line of its own), a string or a fraction where an integer belongs,
     * and null for a number or a flag.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    /** An event lacking a field, or holding null for one, is refused, never read with a default for it. */
    private static final ObjectReader EVENT = JSON.readerFor(DeviceEvent.class)
            .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
    /**
     * Every envelope field must be there. commandId, actor and revision may be null (docs/event-log.md),
     * prev and hash too (a log exported before the chain; the audit reports it): a replay still reads it.
     */
    private static final ObjectReader ENVELOPE_READER = JSON.readerFor(Envelope.class)
            .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private EventLogFormat() {
    }

    public static String write(LoggedEvent logged) {
        return tree(logged).toString();
    }

    /** The line of a current-revision event as a JSON tree: what {@link #write} writes. */
    public static ObjectNode tree(LoggedEvent logged) {
        return line(JSON.valueToTree(logged.event()), logged.envelope());
    }

    /** The line of an event whose JSON is {@code event} (as stored), with its envelope: what export writes and the chain hashes. */
    public static ObjectNode line(ObjectNode event, Envelope envelope) {
        ObjectNode line = event.deepCopy();
        line.set(ENVELOPE, JSON.valueToTree(envelope));
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

    /** The envelope of a parsed line, as it was recorded. */
    public static Envelope envelopeOf(ObjectNode line) {
        if (!(line.get(ENVELOPE) instanceof ObjectNode envelope)) {
            throw new IllegalArgumentException("no envelope object");
        }
        Envelope read;
        try {
            read = ENVELOPE_READER.readValue(envelope);
        } catch (IOException e) {
            throw new IllegalArgumentException("a broken envelope: " + why(e), e);
        }
        if (read.timestamp() == null) {
            throw new IllegalArgumentException("a broken envelope: no timestamp");
        }
        return read;
    }

    /**
     * Why a line could not be read, in one line for people: the innermost cause's message, and for
     * JSON that Jackson could not read, what is wrong with it in the line's terms ({@link JsonProblem}).
     */
    public static String why(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause instanceof JsonProcessingException json ? JsonProblem.of(json) : cause.getMessage();
        message = message == null ? cause.getClass().getSimpleName() : message;
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The event of a line in its current revision ({@link Upcasters#CURRENT}), with its envelope. */
    public static LoggedEvent read(String line) {
        LoggedEvent read = readDirectly(line);
        return read != null ? read : read(parse(line), Upcasters.CURRENT);
    }

    /**
     * The events of a batch of lines ({@code bytes[from, to)}, UTF-8, one a line), or null when one
     * of them is not export's plain layout: then read the batch line by line with {@link #read(String)}.
     * For {@link LineBatches}'s batch parser.
     */
    public static List<LoggedEvent> readLines(byte[] bytes, int from, int to) {
        return DirectLineReader.readLines(bytes, from, to);
    }

    /** {@link DirectLineReader}'s reading of export's own lines, or null for any other line. */
    static LoggedEvent readDirectly(String line) {
        return DirectLineReader.read(line);
    }

    /**
     * The event of a line, upcast by {@code upcasters} to its current revision, with its envelope
     * naming that revision; position, prev and hash stay those of the line as stored.
     */
    public static LoggedEvent read(ObjectNode line, Upcasters upcasters) {
        try {
            Envelope envelope = envelopeOf(line);
            ObjectNode event = line.deepCopy();
            event.remove(ENVELOPE);
            DeviceEvent read = event(event, envelope.revision(), upcasters);
            String revision = envelope.revision() == null ? null : Upcasters.currentRevision(read.getClass().getSimpleName());
            return new LoggedEvent(read, envelope.inRevision(revision));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an event log line: " + line, e);
        }
    }

    /**
     * The event whose JSON (without envelope) is {@code event}, stored in {@code revision}, upcast by
     * {@code upcasters} to its current revision. {@code event} may be changed by upcasting.
     */
    public static DeviceEvent event(ObjectNode event, String revision, Upcasters upcasters) {
        try {
            return EVENT.readValue(upcasters.upcast(event, revision));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
