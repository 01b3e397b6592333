package io.msixpool.replay.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.replay.Chain;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.Upcasters;

/**
 * One line of a log, parsed and hashed, before the auditor folds it. Everything here depends on
 * the line alone, so lines are parsed on every core at once while the fold, which depends on
 * order, runs on one.
 *
 * @param line         the line number, 1-based
 * @param device       the line's {@code device}, or null when it has none
 * @param envelope     the envelope as recorded, or null when the line has none
 * @param computedHash the hash the line's content gives, or null when it cannot be hashed
 * @param event        the event upcast to its current revision, or null when the line holds none
 * @param problem      why the line could not be read or hashed in full, or null
 */
public record AuditedLine(long line, String device, Envelope envelope, String computedHash, DeviceEvent event,
                          String problem) {

    public static AuditedLine parse(long line, String text) {
        ObjectNode tree;
        try {
            tree = EventLogFormat.parse(text);
        } catch (IllegalArgumentException notJson) {
            return new AuditedLine(line, null, null, null, null, "not a JSON object: " + EventLogFormat.why(notJson));
        }
        JsonNode deviceNode = tree.get("device");
        String device = deviceNode != null && deviceNode.isTextual() ? deviceNode.asText() : null;
        Envelope envelope;
        try {
            envelope = EventLogFormat.envelopeOf(tree);
        } catch (IllegalArgumentException broken) {
            return new AuditedLine(line, device, null, null, null, EventLogFormat.why(broken));
        }
        String computedHash;
        try {
            computedHash = Chain.hashOf(tree);
        } catch (IllegalArgumentException unhashable) {
            return new AuditedLine(line, device, envelope, null, null, unhashable.getMessage());
        }
        try {
            tree.remove(EventLogFormat.ENVELOPE);  // hashed already: the tree is ours to take apart
            DeviceEvent event = EventLogFormat.event(tree, envelope.revision(), Upcasters.CURRENT);
            return new AuditedLine(line, device, envelope, computedHash, event, null);
        } catch (IllegalArgumentException unreadable) {
            return new AuditedLine(line, device, envelope, computedHash, null,
                    "not an event: " + EventLogFormat.why(unreadable));
        }
    }
}
