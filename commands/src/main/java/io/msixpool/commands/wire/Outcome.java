package io.msixpool.commands.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.domain.Decision;
import io.msixpool.domain.RejectionCode;
import io.msixpool.domain.event.DeviceEvent;
import java.util.List;

/** What became of one command, as docs/wire.md's result object. */
public sealed interface Outcome {
    ObjectNode toJson();

    default String toJsonLine() {
        return toJson().toString();
    }

    /** The result of a dry run: the same object, and {@code "dryRun":true} last (docs/wire.md "Dry runs"). */
    default String toDryRunJsonLine() {
        return toJson().put("dryRun", true).toString();
    }

    /**
     * True when the command left its mark or found one: it recorded events, or it was a duplicate of
     * a command that did. False for rejections and accepted no-ops, which record nothing and which a
     * retry decides afresh (docs/rules.md, "Retries"), possibly differently if anything came after them.
     */
    default boolean isSettled() {
        return this instanceof Accepted accepted && (accepted.duplicate() || !accepted.events().isEmpty());
    }

    static Outcome of(Decision decision) {
        return decision instanceof Decision.Refused refused
                ? new Rejected(refused.code(), refused.message())
                : new Accepted(decision.duplicate(), decision.events());
    }

    record Accepted(boolean duplicate, List<DeviceEvent> events) implements Outcome {
        @Override
        public ObjectNode toJson() {
            ObjectNode result = Json.mapper().createObjectNode().put("ok", true);
            if (duplicate) {
                result.put("duplicate", true);
            }
            ArrayNode list = result.putArray("events");
            events.forEach(event -> list.add(Json.mapper().<ObjectNode>valueToTree(event)));
            return result;
        }
    }

    record Rejected(RejectionCode code, String message) implements Outcome {
        /** The answer to reading a device that has no PF (its pool, its history): not a rule, nothing was decided. */
        public static Rejected unknownDevice(String device) {
            return new Rejected(RejectionCode.UNKNOWN_DEVICE, RejectionCode.noPfProvisioned(device));
        }

        @Override
        public ObjectNode toJson() {
            return Json.mapper().createObjectNode().put("ok", false).put("code", code.name()).put("message", message);
        }
    }
}
