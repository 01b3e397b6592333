package io.msixpool.domain;

import io.msixpool.domain.command.ArmReset;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.ClosePf;
import io.msixpool.domain.command.CloseVf;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.OpenVf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.domain.command.SetNumVfs;
import io.msixpool.domain.event.*;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;
import java.util.ArrayList;
import java.util.List;

/**
 * The decisions of docs/rules.md as pure functions: the state before and a command in, the accepted
 * events or the refusal out, as a {@link Decision}. Each method is the command's checklist in the
 * order docs/rules.md gives. The aggregate calls this; the auditor calls it again on the state before
 * each recorded decision, and the benchmark's CRUD allocator on the rows it loaded.
 */
public final class DeviceRules {
    private DeviceRules() {
    }

    /**
     * The rules' first checks of anything that names a device, a PF of it and a VF of that PF (pf and
     * vf may be null): UNKNOWN_DEVICE, then UNKNOWN_PF, then UNKNOWN_VF, with the very refusals a
     * command meets; null when all that is named exists. For readers that answer as the rules would
     * (msix history).
     */
    public static Decision.Refused unknownIn(DeviceState state, String device, String pf, Integer vf) {
        Decision.Refused refused = pf == null ? Require.knownDevice(state, device) : Require.pf(state, device, pf);
        if (refused == null && pf != null && vf != null) {
            refused = Require.vf(state.pf(pf), vf);
        }
        return refused;
    }

    /** An accepted decision (its events, maybe none) or a refusal; never a duplicate, which is the retry memory's. */
    public static Decision decide(DeviceState state, DeviceCommand command) {
        return switch (command) {
            case ProvisionPf c -> provisionPf(state, c);
            case OpenPf c -> openPf(state, c);
            case ClosePf c -> closePf(state, c);
            case SetNumVfs c -> setNumVfs(state, c);
            case Reclaim c -> reclaim(state, c);
            case AssignVectors c -> assignVectors(state, c);
            case OpenVf c -> openVf(state, c);
            case ReleaseVectors c -> releaseVectors(state, c);
            case CloseVf c -> closeVf(state, c);
            case ArmReset c -> armReset(state, c);
        };
    }

    static Decision provisionPf(DeviceState state, ProvisionPf c) {
        return Checklist.check(() -> Require.validConfig(c.vfCount(), c.msixTotal(), c.vfMinMsix(), c.vfMaxMsix()))
                .then(() -> Require.notProvisioned(state, c.pf()))
                .then(() -> Require.roomForPf(state))
                .accept(() -> List.of(
                        new PfProvisioned(c.device(), c.pf(), c.emulation(), c.vfCount(), c.msixTotal(), c.vfMinMsix(),
                                c.vfMaxMsix()),
                        new DefaultDistributionApplied(c.device(), c.pf(),
                                PfState.msixPerVfDefault(c.vfCount(), c.msixTotal(), c.vfMaxMsix()))));
    }

    static Decision openPf(DeviceState state, OpenPf c) {
        PfState pf = state.pfs().get(c.pf());
        return Checklist.check(() -> Require.pf(state, c.device(), c.pf()))
                .then(() -> Require.pfClosed(pf))
                .accept(() -> List.of(new PfOpened(c.device(), c.pf(), c.dynamicMsix())));
    }

    static Decision closePf(DeviceState state, ClosePf c) {
        PfState pf = state.pfs().get(c.pf());
        return Checklist.check(() -> Require.pf(state, c.device(), c.pf()))
                .then(() -> Require.pfOpen(pf))
                .then(() -> Require.noOpenVfs(pf))
                .accept(() -> List.of(new PfClosed(c.device(), c.pf())));
    }

    static Decision setNumVfs(DeviceState state, SetNumVfs c) {
        PfState pf = state.pfs().get(c.pf());
        return Checklist.check(() -> Require.pf(state, c.device(), c.pf()))
                .then(() -> Require.numVfsInRange(pf, c.numVfs()))
                .then(() -> Require.numVfsThroughZero(pf, c.numVfs()))
                .accept(() -> pf.numVfs() == c.numVfs()
                        ? List.of()
                        : List.of(new NumVfsChanged(c.device(), c.pf(), pf.numVfs(), c.numVfs())));
    }

    static Decision reclaim(DeviceState state, Reclaim c) {
        PfState pf = state.pfs().get(c.pf());
        return Checklist.check(() -> Require.pf(state, c.device(), c.pf()))
                .then(() -> Require.pfOpen(pf))
                .then(() -> Require.dynamicMsix(pf))
                .then(() -> Require.noOpenVfs(pf))
                .then(() -> Require.sriovDisabled(pf))
                .accept(() -> {
                    List<ReclaimedVf> reclaimed = new ArrayList<>();
                    int total = 0;
                    for (VfState vf : pf.vfs()) {
                        if (vf.msix() > 0) {
                            reclaimed.add(new ReclaimedVf(vf.vf(), vf.msix()));
                            total += vf.msix();
                        }
                    }
                    return List.of(new VectorsReclaimed(c.device(), c.pf(), reclaimed, total));
                });
    }

    static Decision assignVectors(DeviceState state, AssignVectors c) {
        PfState pf = state.pfs().get(c.pf());
        VfState vf = vfOf(pf, c.vf());
        return Checklist.check(() -> Require.pf(state, c.device(), c.pf()))
                .then(() -> Require.pfOpen(pf))
                .then(() -> Require.dynamicMsix(pf))
                .then(() -> Require.vf(pf, c.vf()))
                .then(() -> Require.vfClosed(pf, vf))
                .then(() -> Require.vfUnlinked(pf, vf))
                .then(() -> Require.msixInRange(pf, c.msix()))
                .then(() -> Require.msixFree(pf, vf, c.msix()))
                .accept(() -> List.of(new VectorsAssigned(c.device(), c.pf(), c.vf(), c.msix()),
                        new VfOpened(c.device(), c.pf(), c.vf())));
    }

    static Decision openVf(DeviceState state, OpenVf c) {
        PfState pf = state.pfs().get(c.pf());
        VfState vf = vfOf(pf, c.vf());
        return Checklist.check(() -> Require.pf(state, c.device(), c.pf()))
                .then(() -> Require.pfOpen(pf))
                .then(() -> Require.vf(pf, c.vf()))
                .then(() -> Require.vfClosed(pf, vf))
                .then(() -> Require.vfLinked(pf, vf))
                .accept(() -> List.of(new VfOpened(c.device(), c.pf(), c.vf())));
    }

    static Decision releaseVectors(DeviceState state, ReleaseVectors c) {
        PfState pf = state.pfs().get(c.pf());
        VfState vf = vfOf(pf, c.vf());
        return Checklist.check(() -> Require.pf(state, c.device(), c.pf()))
                .then(() -> Require.pfOpen(pf))
                .then(() -> Require.dynamicMsix(pf))
                .then(() -> Require.vf(pf, c.vf()))
                .then(() -> Require.vfOpen(pf, vf))
                .accept(() -> List.of(new VfClosed(c.device(), c.pf(), c.vf()),
                        new VectorsReleased(c.device(), c.pf(), c.vf(), vf.msix())));
    }

    static Decision closeVf(DeviceState state, CloseVf c) {
        PfState pf = state.pfs().get(c.pf());
        VfState vf = vfOf(pf, c.vf());
        return Checklist.check(() -> Require.pf(state, c.device(), c.pf()))
                .then(() -> Require.pfOpen(pf))
                .then(() -> Require.vf(pf, c.vf()))
                .then(() -> Require.vfOpen(pf, vf))
                .accept(() -> List.of(new VfClosed(c.device(), c.pf(), c.vf())));
    }

    static Decision armReset(DeviceState state, ArmReset c) {
        return Checklist.check(() -> Require.knownDevice(state, c.device()))
                .accept(() -> {
                    List<DeviceEvent> events = new ArrayList<>();
                    events.add(new ArmRebooted(c.device(), c.kind()));
                    state.pfs().values().forEach(pf ->
                            events.add(new DefaultDistributionApplied(c.device(), pf.pf(), pf.msixPerVfDefault())));
                    return List.copyOf(events);
                });
    }

    /** The VF a command names, or null when its PF or the VF does not exist (the checklist refuses those first). */
    private static VfState vfOf(PfState pf, int vf) {
        return pf != null && pf.hasVf(vf) ? pf.vf(vf) : null;
    }
}
