package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.replay.Chain;
import io.msixpool.replay.Envelope;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * Links every event into its device's tamper-evident chain as it is stored: Axon hands this
 * interceptor a command's events just before appending them, inside the command's transaction, and
 * each leaves with {@code prev} (the hash of the device's previous event) and {@code hash} in its
 * metadata, which the export writes into the envelope (docs/event-log.md).
 *
 * <p>The previous hash is the one this process appended with the previous event, when it did (in
 * this transaction or in one it committed: {@link CommittedSequences}); else it is read from the
 * store, in the same transaction. A previous event that another writer committed concurrently would
 * also have taken this event's sequence, so the append fails and the command is decided again, and
 * the chain can never fork. The timestamp is cut to
 * the store's millisecond precision here, and the payload hashed is the one serialized for the
 * store, so what is hashed is exactly what the export writes back.
 *
 * <p>{@link Chain#link} hashes the line as the auditor does, and refuses one with a string outside
 * printable ASCII (an actor given through the Java API, say): the command then fails and records
 * nothing, rather than record an event whose hash other languages could not recompute.
 */
final class ChainStamp implements MessageDispatchInterceptor<EventMessage<?>> {
    private final EventStorageEngine storage;
    private final Serializer serializer;
    /** Told of each event stamped, in its transaction; knows the hashes this process appended. */
    private final CommittedSequences heads;
    /** Takes the store's append lock before the transaction's first insert (see {@link AppendGate}). */
    private final AppendGate appendGate;

    ChainStamp(EventStorageEngine storage, Serializer serializer, CommittedSequences heads, AppendGate appendGate) {
        this.appendGate = appendGate;
        this.storage = storage;
        this.serializer = serializer;
        this.heads = heads;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        List<EventMessage<?>> stamped = new ArrayList<>(messages.size());
        for (EventMessage<?> message : messages) {
            stamped.add(message instanceof DomainEventMessage<?> event ? stamp(event) : message);
        }
        return (index, message) -> stamped.get(index);
    }

    private EventMessage<?> stamp(DomainEventMessage<?> event) {
        String device = event.getAggregateIdentifier();
        long sequence = event.getSequenceNumber();
        String appended = heads.hashOf(device, sequence - 1);
        String prev = appended != null ? appended : storedHash(device, sequence - 1);
        var at = event.getTimestamp().truncatedTo(ChronoUnit.MILLIS);
        // The payload exactly as the store will hold it and the export will write it.
        SerializedObject<JsonNode> stored = event.serializePayload(serializer, JsonNode.class);
        Envelope chained = Chain.link((ObjectNode) stored.getData(),
                StoredEnvelope.of(event.getMetaData(), 0, sequence, at, stored.getType().getRevision()), prev);
        appendGate.appending();
        heads.appending(device, sequence, chained.hash());
        return new GenericDomainEventMessage<>(event.getType(), device, sequence, event.getPayload(),
                StoredEnvelope.withChain(event.getMetaData(), chained), event.getIdentifier(), at);
    }

    private String storedHash(String device, long sequence) {
        if (sequence < 0) {
            return Chain.GENESIS;
        }
        var stream = storage.readEvents(device, sequence);
        if (!stream.hasNext()) {
            throw new IllegalStateException("device " + device + " has no event " + sequence + " to chain to");
        }
        DomainEventMessage<?> previous = stream.next();
        if (previous.getSequenceNumber() != sequence
                || !(previous.getMetaData().get(StoredEnvelope.HASH) instanceof String hash)) {
            throw new IllegalStateException("device " + device + " event " + sequence + " carries no chain hash");
        }
        return hash;
    }
}
