package io.msixpool.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.domain.event.ReclaimedVf;
import io.msixpool.domain.event.VectorsReclaimed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/event-log.md, "The chain": the canonical form byte for byte, and the lines it refuses. */
class ChainTest {
    private static final LoggedEvent RECLAIMED = new LoggedEvent(
            new VectorsReclaimed("bf3-a", "nvme0", List.of(new ReclaimedVf(0, 16), new ReclaimedVf(3, 8)), 24),
            new Envelope(42, 5, Instant.parse("2026-11-22T03:12:07.118Z"), null, "cli:o\"b \\x", "1",
                    Chain.GENESIS, "ff".repeat(32)));

    @Test
    void theHashIsSha256OfSortedKeysWithoutWhitespacePositionOrHash() throws Exception {
        String canonical = "{\"device\":\"bf3-a\",\"envelope\":{\"actor\":\"cli:o\\\"b \\\\x\",\"commandId\":null,"
                + "\"prev\":\"" + Chain.GENESIS + "\",\"revision\":\"1\",\"sequence\":5,"
                + "\"timestamp\":\"2026-11-22T03:12:07.118Z\"},\"pf\":\"nvme0\","
                + "\"reclaimed\":[{\"msix\":16,\"vf\":0},{\"msix\":8,\"vf\":3}],\"total\":24,\"type\":\"VectorsReclaimed\"}";
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII)));

        assertEquals(expected, Chain.hashOf(RECLAIMED));
        assertEquals(expected, Chain.hashOf(EventLogFormat.parse(EventLogFormat.write(RECLAIMED))),
                "the hash of the written line is the hash of the event");
    }

    @Test
    void aLinkedEnvelopeCarriesThePrevItWasGivenAndTheHashTheAuditorComputesFromItsLine() {
        ObjectNode stored = EventLogFormat.tree(RECLAIMED);
        stored.remove(EventLogFormat.ENVELOPE);
        Envelope unlinked = RECLAIMED.envelope().chained(null, null);
        String prev = "ab".repeat(32);

        Envelope linked = Chain.link(stored, unlinked, prev);

        assertEquals(prev, linked.prev());
        assertEquals(unlinked.chained(prev, linked.hash()), linked, "only the links change");
        String exported = EventLogFormat.write(new LoggedEvent(RECLAIMED.event(), linked));
        assertEquals(Chain.hashOf(EventLogFormat.parse(exported)), linked.hash());
    }

    @Test
    void everyFieldButPositionAndHashIsCovered() {
        ObjectNode line = EventLogFormat.tree(RECLAIMED);
        String hash = Chain.hashOf(line);

        ObjectNode moved = line.deepCopy();
        ((ObjectNode) moved.get("envelope")).put("position", 7).put("hash", "00");
        assertEquals(hash, Chain.hashOf(moved), "position and hash are not hashed");

        ObjectNode edited = line.deepCopy();
        ((ObjectNode) edited.get("reclaimed").get(1)).put("msix", 9);
        assertNotEquals(hash, Chain.hashOf(edited), "a nested field is hashed");

        ObjectNode added = line.deepCopy();
        added.put("note", "x");
        assertNotEquals(hash, Chain.hashOf(added), "an added field is hashed");
    }

    @Test
    void aLineRepeatingAKeyIsNotALine() {
        String line = EventLogFormat.write(RECLAIMED);
        assertThrows(IllegalArgumentException.class, () -> EventLogFormat.parse(line.replace("{\"type\":", "{\"total\":0,\"type\":")));
        assertThrows(IllegalArgumentException.class, () -> EventLogFormat.read(line.replace("\"sequence\":5", "\"sequence\":5,\"sequence\":6")));
    }

    @Test
    void aStringOutsidePrintableAsciiIsRefused() {
        for (String actor : List.of("cli:j\u00f6rg", "cli:a\tb", "cli:\u007f")) {
            ObjectNode line = EventLogFormat.tree(new LoggedEvent(RECLAIMED.event(), new Envelope(1, 0,
                    Instant.parse("2026-11-22T03:12:07Z"), null, actor, "1", Chain.GENESIS, null)));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Chain.hashOf(line));
            assertTrue(refused.getMessage().contains("envelope.actor"), refused.getMessage());
        }
    }
}
