package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.LogOrder;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.DecisionCheck;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.LineBatches;
import io.msixpool.replay.LogLines;
import io.msixpool.replay.audit.AuditObserver;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Auditor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.axonframework.common.transaction.Transaction;

/**
 * Rebuilds a store from an exported log (msix import): each line becomes the row the engine would
 * have stored for it, in Axon's event table, so that the store exports the very same log and the
 * engine goes on deciding on it.
 *
 * <p>Two passes over the log. {@link #audit} is msix audit's {@link Auditor} and notes, for the
 * second pass, where each decision begins. {@link #into} then writes the rows ({@link ImportRows})
 * with plain JDBC in the engine's own transactions, after {@link Engine#open} made the store and its
 * tables as it always does, whatever the store engine is, and found it empty ({@link EmptyStore}).
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
        EmptyStore.require(target);
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
        long events;
        try (Connection connection = transactions.getConnection()) {
            // An append like any other: a checkpointer settles it as it settles the engine's (LogOrder).
            SettledPosition.run(connection, LogOrder.of(target).appendLock());
            EmptyStore.require(connection);
            continuePositionsAfter(target, connection, audit.lastPosition());
            try (PreparedStatement insert = connection.prepareStatement(ImportRows.INSERT);
                 CheckedInputStream in = new CheckedInputStream(Files.newInputStream(log), new CRC32C())) {
                ImportRows rows = new ImportRows(insert, audit.decisionStarts());
                LineBatches.forEach(in, ImportRows::parse, null, rows, progress);
                events = rows.finish();
                if (in.getChecksum().getValue() != audit.checksum() || events != audit.result().events()) {
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
        return new Imported(events, audit.result().devices());
    }

    /** Makes the store number the engine's next events after the imported ones (see {@link StoreLocation#continuePositionsAfter}). */
    private static void continuePositionsAfter(StoreLocation target, Connection connection, long lastPosition)
            throws SQLException {
        String sql = lastPosition > 0 ? target.continuePositionsAfter(EventStorage.SCHEMA, lastPosition) : null;
        if (sql != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }
}
