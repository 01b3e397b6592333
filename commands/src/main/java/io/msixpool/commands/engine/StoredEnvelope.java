package io.msixpool.commands.engine;

import io.msixpool.domain.Device;
import io.msixpool.replay.Envelope;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.MetaData;

/**
 * The envelope of docs/event-log.md as the store keeps it: position, sequence and timestamp are
 * Axon's own columns, the revision is the stored payload's, and commandId, actor and the chain's
 * prev and hash are event metadata under these keys. One mapping, both ways: the writer stamps
 * the chain through it ({@link ChainStamp}), the export reads envelopes through it
 * ({@link EventLog}), and the import writes rows through it ({@link LogImport}).
 */
final class StoredEnvelope {
    static final String PREV = "prev";
    static final String HASH = "hash";

    private StoredEnvelope() {
    }

    /** The envelope of an event stored with {@code metaData}; prev and hash are null until it is chained. */
    static Envelope of(MetaData metaData, long position, long sequence, Instant timestamp, String revision) {
        return new Envelope(position, sequence, timestamp, (String) metaData.get(Device.COMMAND_ID),
                (String) metaData.get(Engine.ACTOR), revision, (String) metaData.get(PREV), (String) metaData.get(HASH));
    }

    /** {@code metaData} carrying the chain links of {@code chained}. */
    static MetaData withChain(MetaData metaData, Envelope chained) {
        return metaData.and(PREV, chained.prev()).and(HASH, chained.hash());
    }

    /**
     * The metadata the engine records with an event of {@code envelope}: actor, commandId, the chain's
     * links, and the {@code commandDigest} by which the device remembers that commandId.
     */
    static Map<String, Object> metaData(Envelope envelope, String commandDigest) {
        Map<String, Object> metaData = new HashMap<>();
        putUnlessNull(metaData, Engine.ACTOR, envelope.actor());
        putUnlessNull(metaData, Device.COMMAND_ID, envelope.commandId());
        putUnlessNull(metaData, Device.COMMAND_DIGEST, envelope.commandId() == null ? null : commandDigest);
        putUnlessNull(metaData, PREV, envelope.prev());
        putUnlessNull(metaData, HASH, envelope.hash());
        return metaData;
    }

    private static void putUnlessNull(Map<String, Object> metaData, String key, String value) {
        if (value != null) {
            metaData.put(key, value);
        }
    }
}
