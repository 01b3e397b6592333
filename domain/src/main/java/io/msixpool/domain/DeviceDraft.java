package io.msixpool.domain;

import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import java.util.Map;

/**
 * A device on paper: its pools and retry memory as the store has them, on which commands are tried
 * without recording anything (a dry run). Each accepted command's events are taken into the draft,
 * so a sequence of commands is tried as the engine would decide them one after another.
 */
public final class DeviceDraft {
    private DeviceState state;
    private final RecentCommands recent;

    private DeviceDraft(DeviceState state, RecentCommands recent) {
        this.state = state;
        this.recent = recent;
    }

    public static DeviceDraft empty() {
        return new DeviceDraft(DeviceState.EMPTY, new RecentCommands());
    }

    /** From a snapshot: a copy, so the draft never changes the aggregate it came from. */
    public static DeviceDraft of(Device snapshot) {
        return new DeviceDraft(snapshot.state(), snapshot.recentCommandsCopy());
    }

    /** Folds a stored event and its metadata into the draft, as the aggregate does. */
    public void take(DeviceEvent event, Map<String, ?> metaData) {
        state = DeviceDecisions.evolve(state, event);
        DeviceDecisions.remember(recent, metaData);
    }

    /** Decides {@code command} now and, when it is accepted with events, takes them as if recorded. */
    public Decision tryCommand(DeviceCommand command) {
        Decision decision = DeviceDecisions.decide(state, recent, command);
        if (decision instanceof Decision.Refused || decision.duplicate()) {
            return decision;
        }
        Map<String, String> metaData = command.commandId() == null || decision.events().isEmpty()
                ? Map.of()
                : Map.of(Device.COMMAND_ID, command.commandId(), Device.COMMAND_DIGEST, CommandDigest.of(command));
        decision.events().forEach(event -> take(event, metaData));
        return decision;
    }

    public DeviceState state() {
        return state;
    }
}
