package io.msixpool.replay;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.domain.event.DeviceEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.axonframework.serialization.Revision;

/**
 * How events stored in an older revision of their JSON are read today (docs/event-log.md, "Schema
 * changes"). One list of steps serves both readers: the engine, through Axon's upcaster chain, when
 * it loads a device, and {@link EventLogFormat#read} for exported lines. The store and the export
 * keep every event as it was stored; only readers upcast.
 *
 * <p>To change an event's JSON: raise its record's {@code @Revision}, and add the step from the old
 * revision to {@link #CURRENT}. An event of an older revision without a step is refused, never read
 * with defaults for what it lacks.
 */
public final class Upcasters {
    /** The steps production reads with: none yet, every event is still in its first revision. */
    public static final Upcasters CURRENT = new Upcasters(List.of());

    private static final Map<String, String> CURRENT_REVISIONS = currentRevisions();

    private final List<Upcast> steps;

    public Upcasters(List<Upcast> steps) {
        this.steps = List.copyOf(steps);
        for (Upcast step : this.steps) {
            if (!CURRENT_REVISIONS.containsKey(step.type())) {
                throw new IllegalArgumentException("no event type " + step.type());
            }
        }
    }

    public List<Upcast> steps() {
        return steps;
    }

    /** The revision this code writes events of {@code type} in (its record's {@code @Revision}), or null for no such type. */
    public static String currentRevision(String type) {
        return CURRENT_REVISIONS.get(type);
    }

    /**
     * The JSON of {@code event}, stored in {@code revision}, as the current revision of its type has
     * it. A null revision (a line exported before lines named theirs) and an unknown type are
     * returned as they are: the record's own reading decides about them.
     *
     * @throws IllegalArgumentException when no chain of steps leads from {@code revision} to the current one
     */
    public ObjectNode upcast(ObjectNode event, String revision) {
        String type = event.path("type").asText();
        String current = currentRevision(type);
        ObjectNode json = event;
        int taken = 0;
        for (String at = revision; at != null && current != null && !at.equals(current); taken++) {
            Upcast step = step(type, at);
            if (step == null || taken > steps.size()) {
                throw new IllegalArgumentException(type + " revision " + revision + " cannot be read: no upcaster from "
                        + "revision " + at + " (this code reads revision " + current + ")");
            }
            json = step.change().apply(json.deepCopy());
            at = step.to();
        }
        return json;
    }

    private Upcast step(String type, String from) {
        for (Upcast step : steps) {
            if (step.type().equals(type) && Objects.equals(step.from(), from)) {
                return step;
            }
        }
        return null;
    }

    private static Map<String, String> currentRevisions() {
        Map<String, String> revisions = new HashMap<>();
        for (JsonSubTypes.Type type : DeviceEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            Revision revision = type.value().getAnnotation(Revision.class);
            if (revision == null) {
                throw new IllegalStateException(type.value() + " has no @Revision; every stored event needs one");
            }
            revisions.put(type.value().getSimpleName(), revision.value());
        }
        return Map.copyOf(revisions);
    }
}
