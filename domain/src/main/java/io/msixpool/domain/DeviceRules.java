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
 * The decisions of docs/rules.md as pure functions: the state before and a command in, the events out
 * or a {@link Rejection}. Each method is the command's checklist in the order docs/rules.md gives. The
 * aggregate calls this; the auditor calls it again on the state before each recorded decision.
 */
public final class DeviceRules {
    private DeviceRules() {
    }

    public static List<DeviceEvent> decide(DeviceState state, DeviceCommand command) {
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

    static List<DeviceEvent> provisionPf(DeviceState state, ProvisionPf c) {
        Require.validConfig(c.vfCount(), c.msixTotal(), c.vfMinMsix(), c.vfMaxMsix());
        Require.notProvisioned(state, c.pf());
        Require.roomForPf(state);
        int perVf = PfState.msixPerVfDefault(c.vfCount(), c.msixTotal(), c.vfMaxMsix());
        return List.of(
                new PfProvisioned(c.device(), c.pf(), c.emulation(), c.vfCount(), c.msixTotal(), c.vfMinMsix(),
                        c.vfMaxMsix()),
                new DefaultDistributionApplied(c.device(), c.pf(), perVf));
    }

    static List<DeviceEvent> openPf(DeviceState state, OpenPf c) {
        PfState pf = Require.pf(state, c.device(), c.pf());
        Require.pfClosed(pf);
        return List.of(new PfOpened(c.device(), c.pf(), c.dynamicMsix()));
    }

    static List<DeviceEvent> closePf(DeviceState state, ClosePf c) {
        PfState pf = Require.pf(state, c.device(), c.pf());
        Require.pfOpen(pf);
        Require.noOpenVfs(pf);
        return List.of(new PfClosed(c.device(), c.pf()));
    }

    static List<DeviceEvent> setNumVfs(DeviceState state, SetNumVfs c) {
        PfState pf = Require.pf(state, c.device(), c.pf());
        Require.numVfsInRange(pf, c.numVfs());
        Require.numVfsThroughZero(pf, c.numVfs());
        if (pf.numVfs() == c.numVfs()) {
            return List.of();
        }
        return List.of(new NumVfsChanged(c.device(), c.pf(), pf.numVfs(), c.numVfs()));
    }

    static List<DeviceEvent> reclaim(DeviceState state, Reclaim c) {
        PfState pf = Require.pf(state, c.device(), c.pf());
        Require.pfOpen(pf);
        Require.dynamicMsix(pf);
        Require.noOpenVfs(pf);
        Require.sriovDisabled(pf);
        List<ReclaimedVf> reclaimed = new ArrayList<>();
        int total = 0;
        for (VfState vf : pf.vfs()) {
            if (vf.msix() > 0) {
                reclaimed.add(new ReclaimedVf(vf.vf(), vf.msix()));
                total += vf.msix();
            }
        }
        return List.of(new VectorsReclaimed(c.device(), c.pf(), reclaimed, total));
    }

    static List<DeviceEvent> assignVectors(DeviceState state, AssignVectors c) {
        PfState pf = Require.pf(state, c.device(), c.pf());
        Require.pfOpen(pf);
        Require.dynamicMsix(pf);
        VfState vf = Require.vf(pf, c.vf());
        Require.vfClosed(pf, vf);
        Require.vfUnlinked(pf, vf);
        Require.msixInRange(pf, c.msix());
        Require.msixFree(pf, vf, c.msix());
        return List.of(new VectorsAssigned(c.device(), c.pf(), c.vf(), c.msix()),
                new VfOpened(c.device(), c.pf(), c.vf()));
    }

    static List<DeviceEvent> openVf(DeviceState state, OpenVf c) {
        PfState pf = Require.pf(state, c.device(), c.pf());
        Require.pfOpen(pf);
        VfState vf = Require.vf(pf, c.vf());
        Require.vfClosed(pf, vf);
        Require.vfLinked(pf, vf);
        return List.of(new VfOpened(c.device(), c.pf(), c.vf()));
    }

    static List<DeviceEvent> releaseVectors(DeviceState state, ReleaseVectors c) {
        PfState pf = Require.pf(state, c.device(), c.pf());
        Require.pfOpen(pf);
        Require.dynamicMsix(pf);
        VfState vf = Require.vf(pf, c.vf());
        Require.vfOpen(pf, vf);
        return List.of(new VfClosed(c.device(), c.pf(), c.vf()),
                new VectorsReleased(c.device(), c.pf(), c.vf(), vf.msix()));
    }

    static List<DeviceEvent> closeVf(DeviceState state, CloseVf c) {
        PfState pf = Require.pf(state, c.device(), c.pf());
        Require.pfOpen(pf);
        VfState vf = Require.vf(pf, c.vf());
        Require.vfOpen(pf, vf);
        return List.of(new VfClosed(c.device(), c.pf(), c.vf()));
    }

    static List<DeviceEvent> armReset(DeviceState state, ArmReset c) {
        Require.knownDevice(state, c.device());
        List<DeviceEvent> events = new ArrayList<>();
        events.add(new ArmRebooted(c.device(), c.kind()));
        state.pfs().values().forEach(pf ->
                events.add(new DefaultDistributionApplied(c.device(), pf.pf(), pf.msixPerVfDefault())));
        return List.copyOf(events);
    }
}
