package io.msixpool.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.domain.event.ReclaimedVf;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VectorsReclaimed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exported line: the event's own docs/wire.md JSON, then one {@code envelope} object (docs/event-log.md). */
class EventLogFormatTest {
    private static final Envelope ENVELOPE =
            new Envelope(42, 17, Instant.parse("2026-11-22T03:12:07.118Z"), "vm-0002", "cli:ops", "1",
                    Chain.GENESIS, "ab".repeat(32));

    @Test
    void aLineIsTheWireEventFollowedByItsEnvelope() {
        String line = EventLogFormat.write(new LoggedEvent(new VectorsAssigned("bf3-a", "nvme0", 2, 12), ENVELOPE));

        assertEquals("{\"type\":\"VectorsAssigned\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12,"
                + "\"envelope\":{\"position\":42,\"sequence\":17,\"timestamp\":\"2026-11-22T03:12:07.118Z\","
                + "\"commandId\":\"vm-0002\",\"actor\":\"cli:ops\",\"revision\":\"1\",\"prev\":\"" + Chain.GENESIS + "\","
                + "\"hash\":\"" + "ab".repeat(32) + "\"}}", line);
    }

    @Test
    void aLineReadsBackToTheSameEventAndEnvelope() {
        LoggedEvent logged = new LoggedEvent(
                new VectorsReclaimed("bf3-a", "nvme0", List.of(new ReclaimedVf(0, 16), new ReclaimedVf(3, 8)), 24),
                new Envelope(7, 3, Instant.parse("2026-11-22T03:12:07Z"), null, "demo", "1", Chain.GENESIS, null));

        assertEquals(logged, EventLogFormat.read(EventLogFormat.write(logged)));
    }

    @Test
    void aCommandIdThatWasNotSentIsWrittenAsNull() {
        String line = EventLogFormat.write(new LoggedEvent(new VectorsAssigned("bf3-a", "nvme0", 2, 12),
                new Envelope(1, 0, Instant.parse("2026-11-22T03:12:07Z"), null, "demo", "1", Chain.GENESIS, null)));

        assertTrue(line.contains("\"commandId\":null"), line);
    }

    @Test
    void aLineThatIsNotAnEventIsRefusedWithItsText() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> EventLogFormat.read("{\"type\":\"Nope\"}"));
        assertTrue(refused.getMessage().contains("Nope"), refused.getMessage());
    }

    @Test
    void aLineWithARepeatedKeyIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> EventLogFormat.read(
                "{\"type\":\"VfOpened\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":1,\"vf\":2}"));
        assertTrue(refused.getMessage().contains("not an event log line"), refused.getMessage());
    }

    @Test
    void theDirectAndTheTreeReadingAgreeAndRefuseTheSame() {
        String line = EventLogFormat.write(new LoggedEvent(new VectorsAssigned("bf3-a", "nvme0", 2, 12), ENVELOPE));
        LoggedEvent direct = EventLogFormat.readDirectly(line);
        assertEquals(EventLogFormat.read(EventLogFormat.parse(line), Upcasters.CURRENT), direct,
                "export's own layout is bound directly, to the same event and envelope as through the tree");

        // The envelope first, or an extra space: not export's layout, read all the same.
        String envelopeFirst = "{\"envelope\":" + line.substring(line.indexOf("\"envelope\":") + 11, line.length() - 1)
                + "," + line.substring(1, line.indexOf(",\"envelope\":")) + "}";
        assertEquals(direct, EventLogFormat.read(envelopeFirst));
        assertEquals(direct, EventLogFormat.read(line.replace("}}", "} }")));
        assertEquals(direct, EventLogFormat.readDirectly(envelopeFirst), "keys in any order are read directly");

        for (String broken : List.of(
                line.replace("\"msix\":12", "\"msix\":12,\"extra\":1"),
                line.replace("\"hash\":", "\"surprise\":1,\"hash\":"),
                line.replace("\"msix\":12,", ""),
                line.replace("\"vf\":2", "\"vf\":2,\"vf\":3"))) {
            assertEquals(null, EventLogFormat.readDirectly(broken), broken);
            assertThrows(IllegalArgumentException.class, () -> EventLogFormat.read(broken), broken);
        }
    }
}
