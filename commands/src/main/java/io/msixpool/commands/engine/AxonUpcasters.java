package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.replay.Upcast;
import io.msixpool.replay.Upcasters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * {@link Upcasters}' steps as Axon's upcaster chain, for loading devices, ending with a guard: an
 * event still in an older revision after every step is refused with its device and sequence, so an
 * event nobody wrote an upcaster for never reaches the aggregate with defaults for what it lacks.
 */
final class AxonUpcasters {
    private AxonUpcasters() {
    }

    static EventUpcasterChain chain(Upcasters upcasters) {
        List<EventUpcaster> chain = new ArrayList<>();
        upcasters.steps().forEach(step -> chain.add(new Step(step)));
        chain.add(new RevisionGuard());
        return new EventUpcasterChain(chain);
    }

    private static String eventType(IntermediateEventRepresentation event) {
        return StoredTypes.eventType(event.getType().getName());
    }

    private static final class Step extends SingleEventUpcaster {
        private final Upcast step;

        Step(Upcast step) {
            this.step = step;
        }

        @Override
        protected boolean canUpcast(IntermediateEventRepresentation event) {
            return step.type().equals(eventType(event)) && Objects.equals(step.from(), event.getType().getRevision());
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
            return event.upcastPayload(new SimpleSerializedType(event.getType().getName(), step.to()), JsonNode.class,
                    json -> step.change().apply(((ObjectNode) json).deepCopy()));
        }
    }

    private static final class RevisionGuard extends SingleEventUpcaster {
        @Override
        protected boolean canUpcast(IntermediateEventRepresentation event) {
            String type = eventType(event);
            return type != null && !Upcasters.currentRevision(type).equals(event.getType().getRevision());
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
            String type = eventType(event);
            throw new IllegalStateException("device " + event.getAggregateIdentifier().orElse("?") + " event "
                    + event.getSequenceNumber().map(String::valueOf).orElse("?") + " is " + type + " revision "
                    + event.getType().getRevision() + ", which this engine cannot read: no upcaster leads from it"
                    + " to revision " + Upcasters.currentRevision(type) + " (io.msixpool.replay.Upcasters)");
        }
    }
}
