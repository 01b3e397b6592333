package io.msixpool.commands.engine;

import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.DeviceDraft;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.projections.DeviceStates;
import java.util.HashMap;
import java.util.Map;

/**
 * Commands tried, not recorded (docs/wire.md "Dry runs"): each is decided by the same rules and
 * retry memory as a real decision, on a draft of its device read from the store, and nothing is
 * written: no event, no retry memory, no position, no watch update. Within one dry run, each
 * accepted command's events go into its device's draft, so a sequence is tried as the engine would
 * decide it one command after another. Not thread-safe: one dry run per caller.
 */
public final class DryRun {
    private final DeviceStates states;
    private final Map<String, DeviceDraft> drafts = new HashMap<>();

    DryRun(DeviceStates states) {
        this.states = states;
    }

    public Outcome tryCommand(DeviceCommand command) {
        return Outcome.of(drafts.computeIfAbsent(command.device(), states::loadDraft).tryCommand(command));
    }
}
