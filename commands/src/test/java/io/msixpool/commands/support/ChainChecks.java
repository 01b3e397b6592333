package io.msixpool.commands.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.replay.Chain;
import io.msixpool.replay.EventLogFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The verifier of docs/event-log.md ("Verifying"), in Java, independent of Python, for tests. */
public final class ChainChecks {
    private ChainChecks() {
    }

    /** Per device: sequence 0, 1, 2, ...; prev the previous hash (genesis first); hash recomputed; positions increase. */
    public static void assertChainHolds(List<String> log) {
        Map<String, String> heads = new HashMap<>();
        Map<String, Long> sequences = new HashMap<>();
        long lastPosition = -1;
        for (int i = 0; i < log.size(); i++) {
            ObjectNode line = EventLogFormat.parse(log.get(i));
            ObjectNode envelope = (ObjectNode) line.get("envelope");
            String device = line.get("device").asText();
            String where = "line " + (i + 1) + ": " + log.get(i);
            String hash = envelope.get("hash").asText();
            assertTrue(hash.matches("[0-9a-f]{64}"), "hash is 64 lowercase hex digits; " + where);
            assertEquals(Chain.hashOf(line), hash, "hash recomputes; " + where);
            assertEquals(heads.getOrDefault(device, Chain.GENESIS), envelope.get("prev").asText(), "prev links; " + where);
            assertEquals(sequences.getOrDefault(device, -1L) + 1, envelope.get("sequence").asLong(), "sequence; " + where);
            assertTrue(envelope.get("position").asLong() > lastPosition, "positions increase; " + where);
            lastPosition = envelope.get("position").asLong();
            heads.put(device, hash);
            sequences.put(device, envelope.get("sequence").asLong());
        }
    }
}
