package io.msixpool.domain;

import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.Invariants;
import io.msixpool.domain.state.Violation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a device decides a command and takes its events, in one place: the aggregate ({@link Device})
 * does it for real under Axon, and a dry run ({@link DeviceDraft}) on a copy of its own, so that a
 * dry run decides exactly as the engine would.
 */
public final class DeviceDecisions {
    private DeviceDecisions() {
    }

    /** Shape was checked on construction; then the duplicate check, then the command's own rules. */
    public static Decision decide(DeviceState state, RecentCommands recent, DeviceCommand command) {
        String digest = command.commandId() == null ? null : CommandDigest.of(command);
        return (digest == null ? Optional.<Decision>empty() : recent.recall(command.commandId(), digest))
                .orElseGet(() -> DeviceRules.decide(state, command));
    }

    /** The state after {@code event}; an event that would break an invariant is refused loudly. */
    public static DeviceState evolve(DeviceState state, DeviceEvent event) {
        DeviceState next = state.evolve(event);
        List<Violation> broken = Invariants.violationsAfter(next, event);
        if (!broken.isEmpty()) {
            throw new InvariantViolated("after " + event + ": " + broken);
        }
        return next;
    }

    /** The retry memory learns the command an event came from, when its metadata names one. */
    public static void remember(RecentCommands recent, Map<String, ?> metaData) {
        if (metaData.get(Device.COMMAND_ID) instanceof String id && metaData.get(Device.COMMAND_DIGEST) instanceof String digest) {
            recent.remember(id, digest);
        }
    }
}
