package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.replay.Chain;
import io.msixpool.replay.Envelope;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
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
 * <p>The previous hash is read from the store, in the same transaction: a previous event that
 * another writer committed concurrently would also have taken this event's sequence, so the append
 * fails and the command is decided again, and the chain can never fork. The timestamp is cut to
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
    /** Told of each event stamped (device, sequence), in its transaction: see {@link CommittedSequences}. */
    private final BiConsumer<String, Long> appending;

    ChainStamp(EventStorageEngine storage, Serializer serializer, BiConsumer<String, Long> appending) {
        this.storage = storage;
        this.serializer = serializer;
        this.appending = appending;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        Map<String, String> heads = new HashMap<>(); // device -> hash of its latest event in this batch
        List<EventMessage<?>> stamped = new ArrayList<>(messages.size());
        for (EventMessage<?> message : messages) {
            stamped.add(message instanceof DomainEventMessage<?> event ? stamp(event, heads) : message);
        }
        return (index, message) -> stamped.get(index);
    }

    private EventMessage<?> stamp(DomainEventMessage<?> event, Map<String, String> heads) {
        String device = event.getAggregateIdentifier();
        long sequence = event.getSequenceNumber();
        String prev = heads.containsKey(device) ? heads.get(device) : storedHash(device, sequence - 1);
        var at = event.getTimestamp().truncatedTo(ChronoUnit.MILLIS);
        // The payload exactly as the store will hold it and the export will write it.
        SerializedObject<JsonNode> stored = event.serializePayload(serializer, JsonNode.class);
        Envelope chained = Chain.link((ObjectNode) stored.getData(),
                StoredEnvelope.of(event.getMetaData(), 0, sequence, at, stored.getType().getRevision()), prev);
        heads.put(device, chained.hash());
        appending.accept(device, sequence);
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
