package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.projections.fleet.Fleet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands on the fleet's changes only where they show whole commits. The tracking processor's batches
 * end wherever the events read so far end, which may be inside one command's events (an
 * AssignVectors' VectorsAssigned without its VfOpened): a fleet watch sent that PF's summary would
 * show a state no commit ever had. A device whose batch ended before its last stored event (a
 * commit is stored whole, so that event is the end of a commit) keeps its changes back until a
 * later batch reaches it; they are then handed on merged, each PF once, from its first state before
 * to its newest. Used on the fleet processor's thread only.
 */
final class WholeCommits {
    private static final String LAST_STORED = "SELECT max(" + EventStorage.SCHEMA.sequenceNumberColumn() + ") FROM "
            + EventStorage.SCHEMA.domainEventTable() + " WHERE " + EventStorage.SCHEMA.aggregateIdentifierColumn() + " = ?";

    private final JdbcTransactions transactions;
    /** The last sequence the fleet applied, by device. */
    private final Map<String, Long> applied = new HashMap<>();
    /** Changes kept back, by device, then by PF. */
    private final Map<String, Map<String, Fleet.Change>> heldBack = new HashMap<>();

    WholeCommits(JdbcTransactions transactions) {
        this.transactions = transactions;
    }

    void applied(String device, long sequence) {
        applied.put(device, sequence);
    }

    /** The changes of a batch that show whole commits, with those kept back from earlier batches that now do. */
    List<Fleet.Change> ready(List<Fleet.Change> changes) {
        Map<String, Map<String, Fleet.Change>> byDevice = new LinkedHashMap<>();
        for (Fleet.Change change : changes) {
            String device = change.after().device();
            Map<String, Fleet.Change> pfs = byDevice.computeIfAbsent(device, d -> new LinkedHashMap<>(
                    heldBack.getOrDefault(d, Map.of())));
            pfs.merge(change.after().pf(), change, (first, newer) -> new Fleet.Change(first.before(), newer.after()));
        }
        List<Fleet.Change> ready = new ArrayList<>();
        for (var device : byDevice.entrySet()) {
            if (lastStored(device.getKey()) > applied.getOrDefault(device.getKey(), -1L)) {
                heldBack.put(device.getKey(), device.getValue());
            } else {
                heldBack.remove(device.getKey());
                ready.addAll(device.getValue().values());
            }
        }
        return ready;
    }

    /** Where the device's stored events end; when the store cannot say, where the fleet is (its changes go on). */
    private long lastStored(String device) {
        try (Connection connection = transactions.getConnection();
             PreparedStatement select = connection.prepareStatement(LAST_STORED)) {
            select.setString(1, device);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        } catch (SQLException storeDown) {
            // Handed on rather than lost: this runs after the batch, whose events the fleet already shows.
            return applied.getOrDefault(device, -1L);
        }
    }
}
