package io.msixpool.commands.engine;

import static io.msixpool.commands.engine.EventStorage.SCHEMA;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.wire.Json;
import io.msixpool.domain.CommandDigest;
import io.msixpool.domain.Device;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.replay.DecisionCheck;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.Upcasters;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * msix import's second pass: takes the lines of an audited log in order and writes the row the
 * engine would have stored for each (see {@link LogImport} for what a row keeps). A decision's rows
 * are written once the decision is known complete (its device's next decision begins, or the log
 * ends): its first event alone does not always tell the command, whose digest every row of it carries.
 */
final class ImportRows implements Predicate<ImportRows.Line> {
    /** Rows sent to the store in one round trip. */
    static final int INSERT_BATCH = 1_000;
    static final String INSERT = "INSERT INTO " + SCHEMA.domainEventTable() + " (" + String.join(", ",
            SCHEMA.globalIndexColumn(), SCHEMA.eventIdentifierColumn(), SCHEMA.aggregateIdentifierColumn(),
            SCHEMA.sequenceNumberColumn(), SCHEMA.typeColumn(), SCHEMA.timestampColumn(), SCHEMA.payloadTypeColumn(),
            SCHEMA.payloadRevisionColumn(), SCHEMA.payloadColumn(), SCHEMA.metaDataColumn())
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The aggregate type Axon stores beside each event: the aggregate class's simple name. */
    private static final String AGGREGATE_TYPE = Device.class.getSimpleName();
    /** Metadata keys Axon's MessageOriginProvider puts on every event: the id of the command message. */
    private static final String TRACE_ID = "traceId";
    private static final String CORRELATION_ID = "correlationId";

    /** A line of the log, parsed on a parsing thread: what its row needs, but the decision's metadata. */
    record Line(long line, Envelope envelope, String device, DeviceEvent event, byte[] payload) {
    }

    private final PreparedStatement insert;
    private final BitSet decisionStarts;
    private final Serializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
    /** Per device, the events of its latest decision, not yet written. */
    private final Map<String, List<Line>> open = new HashMap<>();
    private int batched;
    private long events;

    /**
     * @param decisionStarts for each event, by its index in the log, whether it begins a decision,
     *                       as the audit saw it
     */
    ImportRows(PreparedStatement insert, BitSet decisionStarts) {
        this.insert = insert;
        this.decisionStarts = decisionStarts;
    }

    static Line parse(long line, String text) {
        ObjectNode tree = EventLogFormat.parse(text);
        Envelope envelope = EventLogFormat.envelopeOf(tree);
        tree.remove(EventLogFormat.ENVELOPE);
        byte[] payload;
        try {
            payload = Json.mapper().writeValueAsBytes(tree);  // the event's JSON as stored: the line's fields, in order
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write line " + line + " back as JSON", e);
        }
        DeviceEvent event = EventLogFormat.event(tree, envelope.revision(), Upcasters.CURRENT);
        return new Line(line, envelope, event.device(), event, payload);
    }

    @Override
    public boolean test(Line line) {
        boolean begins = decisionStarts.get((int) events++);
        List<Line> decision = open.get(line.device());
        if (begins || decision == null) {
            if (decision != null) {
                write(decision);
            }
            decision = new ArrayList<>(2);
            open.put(line.device(), decision);
        }
        decision.add(line);
        return true;
    }

    /** Writes the decisions still open and sends the last batch; returns how many events were taken. */
    long finish() throws SQLException {
        open.values().forEach(this::write);
        open.clear();
        if (batched > 0) {
            insert.executeBatch();
        }
        return events;
    }

    private void write(List<Line> decision) {
        String digest = decision.getFirst().envelope().commandId() == null ? null
                : CommandDigest.of(DecisionCheck.commandOf(decision.stream().map(Line::event).toList()));
        String commandMessage = UUID.randomUUID().toString();
        try {
            for (Line line : decision) {
                add(line, commandMessage, digest);
            }
        } catch (SQLException e) {
            throw new StoreFailure("cannot write the event of line " + decision.getFirst().line(), e);
        }
    }

    private void add(Line line, String commandMessage, String digest) throws SQLException {
        Envelope envelope = line.envelope();
        Map<String, Object> metaData = StoredEnvelope.metaData(envelope, digest);
        metaData.put(TRACE_ID, commandMessage);
        metaData.put(CORRELATION_ID, commandMessage);
        insert.setLong(1, envelope.position());
        insert.setString(2, UUID.randomUUID().toString());
        insert.setString(3, line.device());
        insert.setLong(4, envelope.sequence());
        insert.setString(5, AGGREGATE_TYPE);
        insert.setString(6, DateTimeUtils.formatInstant(envelope.timestamp()));
        insert.setString(7, StoredTypes.of(line.event()));
        insert.setString(8, envelope.revision());
        insert.setBytes(9, line.payload());
        insert.setBytes(10, serializer.serialize(MetaData.from(metaData), byte[].class).getData());
        insert.addBatch();
        if (++batched == INSERT_BATCH) {
            insert.executeBatch();
            batched = 0;
        }
    }
}
