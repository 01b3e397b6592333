package io.msixpool.commands.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.store.StoreMissing;
import io.msixpool.commands.wire.Json;
import io.msixpool.domain.CommandDigest;
import io.msixpool.domain.Device;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.DecisionCheck;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.LineBatches;
import io.msixpool.replay.LogLines;
import io.msixpool.replay.Upcasters;
import io.msixpool.replay.audit.AuditObserver;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Auditor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Rebuilds a store from an exported log (msix import): each line becomes the row the engine would
 * have stored for it, in Axon's event table, so that the store exports the very same log and the
 * engine goes on deciding on it.
 *
 * <p>Two passes over the log. {@link #audit} is msix audit's {@link Auditor} and notes, for the
 * second pass, where each decision begins. {@link #into} then writes the rows with plain JDBC in
 * the engine's own transactions, after {@link Engine#open} made the store and its tables as it
 * always does, whatever the store engine is.
 *
 * <p>A row keeps everything the line holds: the global position as {@code globalIndex}, the device
 * as aggregate (type {@code Device}), its sequence, the timestamp as Axon writes it, the event's
 * class and revision, the event's JSON as the line has it without its envelope (which is what
 * the engine stored: the export writes the stored JSON and adds the envelope), and the metadata the
 * engine records: actor, commandId, the chain's prev and hash, Axon's traceId and correlationId
 * (the command message's id, one per decision: a fresh one, the log does not hold it) and the
 * {@code commandDigest} by which the device remembers a commandId, rebuilt from the decision's events
 * ({@link DecisionCheck#commandOf}), so that a retry of an imported command is still a duplicate.
 * Only eventIdentifier is new (a random UUID, as Axon makes them); the export does not show it.
 *
 * <p>All rows are written in one transaction. An import interrupted at any point (killed, power
 * lost, a failed insert) thus leaves the store as it found it, empty, and a new import accepts it;
 * committing every so many rows instead would leave a store holding the first part of a log, which
 * the engine would take for the whole history (a valid chain, a clean audit) and decide on. The
 * price is one large transaction, which the database keeps on disk, not in memory (an embedded
 * store imported 138,000 events in a 200 MB heap).
 */
public final class LogImport {
    /** Rows sent to the store in one round trip. */
    static final int INSERT_BATCH = 1_000;
    private static final String INSERT = "INSERT INTO domainevententry (globalIndex, eventIdentifier, "
            + "aggregateIdentifier, sequenceNumber, type, timeStamp, payloadType, payloadRevision, payload, metaData)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String EVENTS = "domainevententry";
    private static final String SNAPSHOTS = "snapshotevententry";
    /** The aggregate type Axon stores beside each event: the aggregate class's simple name. */
    private static final String AGGREGATE_TYPE = Device.class.getSimpleName();
    /** Metadata keys Axon's MessageOriginProvider puts on every event: the id of the command message. */
    private static final String TRACE_ID = "traceId";
    private static final String CORRELATION_ID = "correlationId";

    private LogImport() {
    }

    /**
     * What the audit of a log told the import.
     *
     * @param result         the audit, as msix audit reports it
     * @param decisionStarts for each event, by its index in the log (blank lines not counted), whether
     *                       it begins a decision (as the auditor saw it) or goes on with one
     * @param lastPosition   the position of the log's last event, 0 for an empty log
     * @param checksum       the CRC-32C of the log's bytes: the import checks it read the same log
     */
    public record Audit(AuditResult result, BitSet decisionStarts, long lastPosition, long checksum) {
    }

    /** What was imported. */
    public record Imported(long events, int devices) {
    }

    /** The store already holds events (or snapshots): an import never mixes a log into a history. */
    public static final class NotEmpty extends RuntimeException {
        NotEmpty(String message) {
            super(message);
        }
    }

    /**
     * Audits {@code log} exactly as msix audit does, noting where each decision begins for
     * {@link #into}.
     */
    public static Audit audit(Path log, LineBatches.Progress progress) throws IOException {
        DecisionStarts starts = new DecisionStarts();
        try (CheckedInputStream in = new CheckedInputStream(Files.newInputStream(log), new CRC32C())) {
            AuditResult result = Auditor.audit(new LogLines.Bytes(in), starts, progress);
            return new Audit(result, starts.begins, starts.lastPosition, in.getChecksum().getValue());
        }
    }

    /** Where decisions begin, event by event, as the auditor folds them. */
    private static final class DecisionStarts implements AuditObserver {
        final BitSet begins = new BitSet();
        int events;
        long lastPosition;

        @Override
        public void folded(Envelope envelope, DeviceEvent event, boolean beginsDecision, DeviceState after) {
            begins.set(events++, beginsDecision);
            lastPosition = Math.max(lastPosition, envelope.position());
        }
    }

    /**
     * Refuses a store that holds any event or snapshot, without creating it: an embedded store
     * whose directory is missing or empty is not even opened.
     *
     * @throws NotEmpty when it holds something
     */
    public static void requireEmpty(StoreLocation target) {
        if (target instanceof StoreLocation.Embedded embedded && isMissingOrEmpty(embedded.directory())) {
            return;
        }
        try (HikariDataSource data = target.open(StoreLocation.Access.READ); Connection connection = data.getConnection()) {
            requireEmpty(connection);
        } catch (StoreMissing noStoreYet) {
            // a directory without a store (its database file missing or empty): nothing to refuse
        } catch (SQLException e) {
            throw new StoreFailure("cannot read whether the store holds events", e);
        }
    }

    private static boolean isMissingOrEmpty(Path directory) {
        if (!Files.isDirectory(directory)) {
            return !Files.exists(directory);  // a file there: let opening it say what is wrong
        }
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the store directory " + directory, e);
        }
    }

    private static void requireEmpty(Connection connection) throws SQLException {
        if (hasTable(connection, EVENTS)) {
            try (Statement sql = connection.createStatement();
                 ResultSet last = sql.executeQuery("SELECT MAX(globalIndex) FROM " + EVENTS)) {
                last.next();
                long position = last.getLong(1);
                if (!last.wasNull()) {
                    throw new NotEmpty("it already holds events (the last at position " + position + ")");
                }
            }
        }
        if (hasTable(connection, SNAPSHOTS)) {
            try (Statement sql = connection.createStatement();
                 ResultSet any = sql.executeQuery("SELECT 1 FROM " + SNAPSHOTS + " LIMIT 1")) {
                if (any.next()) {
                    throw new NotEmpty("it holds no events but snapshots of devices");
                }
            }
        }
    }

    /** Whether the table exists in the connection's schema (identifiers compared ignoring case). */
    private static boolean hasTable(Connection connection, String table) throws SQLException {
        String schema = connection.getSchema();
        try (ResultSet tables = connection.getMetaData().getTables(null, null, null, new String[] {"TABLE"})) {
            while (tables.next()) {
                String itsSchema = tables.getString("TABLE_SCHEM");
                if (table.equalsIgnoreCase(tables.getString("TABLE_NAME"))
                        && (schema == null || itsSchema == null || schema.equalsIgnoreCase(itsSchema))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Writes every event of {@code log}, which {@code audit} found clean, into {@code target},
     * creating the store where missing, in one transaction (see the class comment).
     *
     * @throws NotEmpty when the store holds events or snapshots (checked again in the transaction)
     */
    public static Imported into(StoreLocation target, Path log, Audit audit, LineBatches.Progress progress) {
        if (!audit.result().clean()) {
            throw new IllegalArgumentException("a log with audit findings is never imported");
        }
        try (Engine engine = Engine.open(target)) {  // creates the store and its tables as the engine does
            return write(target, engine.transactions(), log, audit, progress);
        }
    }

    private static Imported write(StoreLocation target, JdbcTransactions transactions, Path log, Audit audit,
                                  LineBatches.Progress progress) {
        Transaction transaction = transactions.startTransaction();
        Rows rows;
        try (Connection connection = transactions.getConnection()) {
            requireEmpty(connection);
            continuePositionsAfter(target, connection, audit.lastPosition());
            try (PreparedStatement insert = connection.prepareStatement(INSERT);
                 CheckedInputStream in = new CheckedInputStream(Files.newInputStream(log), new CRC32C())) {
                rows = new Rows(insert, audit.decisionStarts());
                LineBatches.forEach(in, LogImport::parse, null, rows, progress);
                rows.finish();
                if (in.getChecksum().getValue() != audit.checksum() || rows.events != audit.result().events()) {
                    throw new IllegalStateException("the log changed between its audit and its import");
                }
            }
        } catch (SQLException | IOException | RuntimeException failure) {
            try {
                transaction.rollback();
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed);
            }
            if (failure instanceof NotEmpty notEmpty) {
                throw notEmpty;
            }
            throw new StoreFailure("the import failed and was rolled back; the store holds no event", failure);
        }
        transaction.commit();
        return new Imported(rows.events, audit.result().devices());
    }

    /** Makes the store number the engine's next events after the imported ones (see {@link StoreLocation#continuePositionsAfter}). */
    private static void continuePositionsAfter(StoreLocation target, Connection connection, long lastPosition)
            throws SQLException {
        String sql = lastPosition > 0 ? target.continuePositionsAfter(lastPosition) : null;
        if (sql != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    /** A line of the log, parsed on a parsing thread: what its row needs, but the decision's metadata. */
    private record Line(long line, Envelope envelope, String device, DeviceEvent event, byte[] payload) {
    }

    private static Line parse(long line, String text) {
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

    /**
     * Takes the lines in log order and writes their rows. A decision's rows are written once the
     * decision is known complete (its device's next decision begins, or the log ends): its first
     * event alone does not always tell the command, whose digest every row of it carries.
     */
    private static final class Rows implements Predicate<Line> {
        private final PreparedStatement insert;
        private final BitSet decisionStarts;
        private final Serializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
        /** Per device, the events of its latest decision, not yet written. */
        private final Map<String, List<Line>> open = new HashMap<>();
        private int batched;
        long events;

        Rows(PreparedStatement insert, BitSet decisionStarts) {
            this.insert = insert;
            this.decisionStarts = decisionStarts;
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

        void finish() throws SQLException {
            open.values().forEach(this::write);
            open.clear();
            if (batched > 0) {
                insert.executeBatch();
            }
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
            Map<String, Object> metaData = new HashMap<>();
            metaData.put(TRACE_ID, commandMessage);
            metaData.put(CORRELATION_ID, commandMessage);
            putUnlessNull(metaData, Engine.ACTOR, envelope.actor());
            putUnlessNull(metaData, Device.COMMAND_ID, envelope.commandId());
            putUnlessNull(metaData, Device.COMMAND_DIGEST, envelope.commandId() == null ? null : digest);
            putUnlessNull(metaData, StoredEnvelope.PREV, envelope.prev());
            putUnlessNull(metaData, StoredEnvelope.HASH, envelope.hash());
            insert.setLong(1, envelope.position());
            insert.setString(2, UUID.randomUUID().toString());
            insert.setString(3, line.device());
            insert.setLong(4, envelope.sequence());
            insert.setString(5, AGGREGATE_TYPE);
            insert.setString(6, DateTimeUtils.formatInstant(envelope.timestamp()));
            insert.setString(7, line.event().getClass().getName());
            insert.setString(8, envelope.revision());
            insert.setBytes(9, line.payload());
            insert.setBytes(10, serializer.serialize(MetaData.from(metaData), byte[].class).getData());
            insert.addBatch();
            if (++batched == INSERT_BATCH) {
                insert.executeBatch();
                batched = 0;
            }
        }

        private static void putUnlessNull(Map<String, Object> metaData, String key, String value) {
            if (value != null) {
                metaData.put(key, value);
            }
        }
    }
}
