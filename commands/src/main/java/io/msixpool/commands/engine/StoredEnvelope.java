package io.msixpool.commands.engine;

import io.msixpool.domain.Device;
import io.msixpool.replay.Envelope;
import java.time.Instant;
import org.axonframework.messaging.MetaData;

/**
 * The envelope of docs/event-log.md as the store keeps it: position, sequence and timestamp are
 * Axon's own columns, the revision is the stored payload's, and commandId, actor and the chain's
 * prev and hash are event metadata under these keys. One mapping: the writer stamps the chain
 * through it ({@link ChainStamp}) and the export reads envelopes through it ({@link EventLog}).
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
}
