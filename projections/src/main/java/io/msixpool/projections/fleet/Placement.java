package io.msixpool.projections.fleet;

import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.DeviceCommand;

/**
 * Where an AssignVectors would be accepted now (docs/wire.md "Placements"): the VF, the PF's free and
 * stranded vectors (what the ranking looked at), and the command to send, as docs/wire.md writes it.
 */
public record Placement(String device, String pf, int vf, int msixFree, int msixStranded, DeviceCommand command) {
    static Placement of(PfSummary pf, AssignVectors command) {
        return new Placement(pf.device(), pf.pf(), command.vf(), pf.msixFree(), pf.msixStranded(), command);
    }
}
