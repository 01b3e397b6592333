package io.msixpool.commands.engine;

import static io.msixpool.commands.support.ChainChecks.assertChainHolds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.state.PfState;
import io.msixpool.replay.Chain;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.LoggedEvent;
import io.msixpool.replay.Upcast;
import io.msixpool.replay.Upcasters;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * docs/event-log.md, "Schema changes": a store holding an event written by an older revision of its
 * record still loads, through the upcaster step the engine is given, with the right pools; without
 * the step it is refused instead of read with a default; and the export keeps the event as it was
 * stored, so the chain still verifies across it.
 *
 * <p>The old event is written into a real store with JDBC, as an older engine would have left it:
 * revision "0" of PfOpened, from before {@code dynamicMsix} existed, when every PF was opened with
 * dynamic MSI-X, chained like any other event.
 */
class OlderRevisionTest {
    private static final String DEVICE = "bf3-a";
    private static final String NVME0 = "nvme0";
    private static final Upcast PF_OPENED_0_TO_1 = new Upcast("PfOpened", "0", "1", json -> json.put("dynamicMsix", true));
    private static final Upcasters WITH_STEP = new Upcasters(List.of(PF_OPENED_0_TO_1));

    @Test
    void anEventOfAnOlderRevisionLoadsThroughItsUpcasterAndStillVerifies() throws Exception {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(TestStores.Kind.EMBEDDED));
        try (Engine engine = Engine.open(store)) {
            engine.send(new ProvisionPf(DEVICE, NVME0, Emulation.NVME, 4, 64, 2, 32, "fw-1"), "cli:old");
        }
        insertRevision0PfOpened(store);

        try (Engine withoutStep = Engine.open(store)) {
            RuntimeException refused = assertThrows(RuntimeException.class,
                    () -> withoutStep.send(new Reclaim(DEVICE, NVME0), "cli:new"));
            assertTrue(messages(refused).contains("PfOpened revision 0"), () -> "names the event: " + messages(refused));
            assertEquals(3, EventLog.lines(withoutStep).count(), "the export needs no upcaster: it writes events as stored");
        }

        try (Engine engine = Engine.open(store, WITH_STEP)) {
            PfState pf = engine.pool(DEVICE).orElseThrow().pfs().get(0);
            assertTrue(pf.open() && pf.dynamicMsix(), "the upcast PfOpened opened the PF with dynamic MSI-X: " + pf);
            assertInstanceOf(Outcome.Accepted.class, engine.send(new Reclaim(DEVICE, NVME0), "cli:new"),
                    "reclaim needs dynamic MSI-X, which only the upcaster supplies");
            assertInstanceOf(Outcome.Accepted.class, engine.send(new AssignVectors(DEVICE, NVME0, 1, 24, "vm-1"), "cli:new"));
            assertEquals(40, engine.pool(DEVICE).orElseThrow().pfs().get(0).msixFree(), "64 reclaimed, 24 assigned");

            List<String> log = EventLog.lines(engine).map(ObjectNode::toString).toList();
            assertEquals(6, log.size(), String.join("\n", log));
            assertChainHolds(log);
            ObjectNode stored = EventLogFormat.parse(log.get(2));
            assertEquals("0", stored.get("envelope").get("revision").asText(), "exported in the revision it was stored in");
            assertFalse(stored.has("dynamicMsix"), "exported as stored, without the field the upcaster adds: " + stored);

            LoggedEvent read = EventLogFormat.read(stored, WITH_STEP);
            assertEquals(new PfOpened(DEVICE, NVME0, true), read.event(), "a reader of the line upcasts it the same way");
            assertEquals(new PfOpened(DEVICE, NVME0, true), EventLog.read(engine).toList().get(2).event());
        }
    }

    /** Sequence 2 of the device: revision 0 PfOpened (no dynamicMsix), prev and hash as the engine stamps them. */
    private static void insertRevision0PfOpened(StoreLocation store) throws SQLException {
        ObjectNode payload = EventLogFormat.parse("{\"type\":\"PfOpened\",\"device\":\"" + DEVICE + "\",\"pf\":\"" + NVME0 + "\"}");
        Instant at = Instant.parse("2025-01-15T10:00:00.250Z");
        try (HikariDataSource data = store.open(StoreLocation.Access.WRITE); Connection sql = data.getConnection()) {
            String prev = previousHash(sql);
            Envelope envelope = new Envelope(0, 2, at, null, "cli:old", "0", prev, null);
            String hash = Chain.hashOf(EventLogFormat.line(payload, envelope));
            String metaData = "{\"actor\":\"cli:old\",\"prev\":\"" + prev + "\",\"hash\":\"" + hash + "\"}";
            try (PreparedStatement insert = sql.prepareStatement("INSERT INTO DomainEventEntry (eventIdentifier, "
                    + "aggregateIdentifier, sequenceNumber, type, timeStamp, payloadType, payloadRevision, payload, "
                    + "metaData) VALUES (?, ?, 2, 'Device', ?, ?, '0', ?, ?)")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, DEVICE);
                insert.setString(3, at.toString());
                insert.setString(4, PfOpened.class.getName());
                insert.setBytes(5, payload.toString().getBytes(StandardCharsets.UTF_8));
                insert.setBytes(6, metaData.getBytes(StandardCharsets.UTF_8));
                assertEquals(1, insert.executeUpdate());
            }
        }
    }

    private static String previousHash(Connection sql) throws SQLException {
        try (PreparedStatement select = sql.prepareStatement(
                "SELECT metaData FROM DomainEventEntry WHERE aggregateIdentifier = ? AND sequenceNumber = 1")) {
            select.setString(1, DEVICE);
            var rows = select.executeQuery();
            assertTrue(rows.next(), "the provisioning stored sequences 0 and 1");
            return EventLogFormat.parse(new String(rows.getBytes(1), StandardCharsets.UTF_8)).get("hash").asText();
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(cause.getMessage()).append(" / ");
        }
        return text.toString();
    }
}
