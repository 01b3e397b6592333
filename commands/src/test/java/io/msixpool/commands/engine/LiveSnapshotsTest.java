package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Json;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * A device's snapshot is the state the engine holds in memory, not the device rebuilt by reading its
 * events back from the store (Axon's snapshotter: up to 250 events read and folded again per
 * snapshot). Shown with the first event's stored payload edited behind the engine's back: a snapshot
 * rebuilt from the store would carry the edit, the one taken from memory does not.
 */
class LiveSnapshotsTest {
    private static final String DEVICE = "bf3-a";

    @Test
    void theSnapshotIsTheDeviceInMemoryNotTheStoreReadAgain() throws Exception {
        try (Engine engine = Engine.open(StoreLocation.parse(TestStores.fresh(TestStores.Kind.EMBEDDED)))) {
            engine.send(new ProvisionPf(DEVICE, "nvme0", Emulation.NVME, 8, 1024, 2, 32), "test");
            engine.send(new OpenPf(DEVICE, "nvme0"), "test");
            engine.send(new Reclaim(DEVICE, "nvme0"), "test");
            assertEquals(1, editFirstEvent(engine, "\"msixTotal\":1024", "\"msixTotal\":1000"));

            long events = 4;
            while (events <= Engine.SNAPSHOT_EVERY) {
                events += recorded(engine.send(new AssignVectors(DEVICE, "nvme0", 0, 4), "test"));
                events += recorded(engine.send(new ReleaseVectors(DEVICE, "nvme0", 0), "test"));
            }

            JsonNode snapshot = Json.mapper().readTree(snapshotPayload(engine));
            assertEquals(1024, snapshot.findValue("msixTotal").asInt(), "the snapshot holds the device as decided");
        }
    }

    private static int recorded(Outcome outcome) {
        return assertInstanceOf(Outcome.Accepted.class, outcome).events().size();
    }

    private static int editFirstEvent(Engine engine, String from, String to) throws Exception {
        var schema = EventStorage.SCHEMA;
        String sql = "UPDATE " + schema.domainEventTable() + " SET " + schema.payloadColumn() + " = CAST(replace(CAST("
                + schema.payloadColumn() + " AS TEXT), ?, ?) AS BLOB) WHERE " + schema.aggregateIdentifierColumn()
                + " = ? AND " + schema.sequenceNumberColumn() + " = 0";
        try (Connection connection = engine.transactions().getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, from);
            update.setString(2, to);
            update.setString(3, DEVICE);
            return update.executeUpdate();
        }
    }

    private static byte[] snapshotPayload(Engine engine) throws Exception {
        var schema = EventStorage.SCHEMA;
        String sql = "SELECT " + schema.payloadColumn() + " FROM " + schema.snapshotTable() + " WHERE "
                + schema.aggregateIdentifierColumn() + " = ?";
        try (Connection connection = engine.transactions().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, DEVICE);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBytes(1);
            }
        }
    }
}
