package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;

/**
 * A device's next event links to the hash this process committed with the one before it, taken from
 * memory, not read back from the store (a query and a deserialized row per command, the largest
 * part of the stamp's cost). So a row edited behind the engine's back between two commands is not
 * carried into the next link: the chain stays the one written, and the audit finds the edit.
 */
class ChainHeadsTest {
    private static final String DEVICE = "bf3-a";

    @Test
    void theNextEventLinksToTheHashCommittedNotToTheRowAsEditedSince() throws Exception {
        try (Engine engine = Engine.open(StoreLocation.parse(TestStores.fresh(TestStores.Kind.EMBEDDED)))) {
            engine.send(new ProvisionPf(DEVICE, "nvme0", Emulation.NVME, 8, 256, 2, 32), "test");
            String committed = hashOf(events(engine).get(1));
            String forged = "f".repeat(committed.length());
            assertEquals(1, replaceInMetaData(engine, 1, committed, forged), "the stored row of event 1 is edited");
            assertEquals(forged, hashOf(events(engine).get(1)));

            engine.send(new OpenPf(DEVICE, "nvme0"), "test");

            DomainEventMessage<?> opened = events(engine).get(2);
            assertEquals(committed, opened.getMetaData().get(StoredEnvelope.PREV), "event 2 links to event 1 as committed");
            assertNotEquals(forged, opened.getMetaData().get(StoredEnvelope.PREV));
        }
    }

    private static List<? extends DomainEventMessage<?>> events(Engine engine) {
        return engine.deviceEvents(DEVICE).toList();
    }

    private static String hashOf(DomainEventMessage<?> event) {
        return (String) event.getMetaData().get(StoredEnvelope.HASH);
    }

    private static int replaceInMetaData(Engine engine, long sequence, String from, String to) throws Exception {
        var schema = EventStorage.SCHEMA;
        String sql = "UPDATE " + schema.domainEventTable() + " SET " + schema.metaDataColumn() + " = CAST(replace(CAST("
                + schema.metaDataColumn() + " AS TEXT), ?, ?) AS BLOB) WHERE " + schema.aggregateIdentifierColumn()
                + " = ? AND " + schema.sequenceNumberColumn() + " = ?";
        try (Connection connection = engine.transactions().getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, from);
            update.setString(2, to);
            update.setString(3, DEVICE);
            update.setLong(4, sequence);
            return update.executeUpdate();
        }
    }
}
