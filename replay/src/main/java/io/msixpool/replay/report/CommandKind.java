package io.msixpool.replay.report;

import io.msixpool.domain.event.ArmRebooted;
import io.msixpool.domain.event.DefaultDistributionApplied;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.NumVfsChanged;
import io.msixpool.domain.event.PfClosed;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.event.PfProvisioned;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VectorsReclaimed;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.event.VfClosed;
import io.msixpool.domain.event.VfOpened;

/**
 * The command a decision's first event records, named as docs/rules.md names commands. VfClosed begins
 * CloseVf until a VectorsReleased follows it in the same decision, which makes it ReleaseVectors.
 * The last two begin no command: only a forged log begins a decision with them.
 */
enum CommandKind {
    PROVISION_PF("ProvisionPf"), OPEN_PF("OpenPf"), CLOSE_PF("ClosePf"), SET_NUM_VFS("SetNumVfs"),
    RECLAIM("Reclaim"), ASSIGN_VECTORS("AssignVectors"), OPEN_VF("OpenVf"), CLOSE_VF("CloseVf"),
    RELEASE_VECTORS("ReleaseVectors"), ARM_RESET("ArmReset"),
    DEFAULT_DISTRIBUTION_APPLIED("DefaultDistributionApplied (no command begins with it)"),
    VECTORS_RELEASED("VectorsReleased (no command begins with it)");

    static final CommandKind[] ALL = values();

    final String label;

    CommandKind(String label) {
        this.label = label;
    }

    static CommandKind begunBy(DeviceEvent first) {
        return switch (first) {
            case PfProvisioned e -> PROVISION_PF;
            case PfOpened e -> OPEN_PF;
            case PfClosed e -> CLOSE_PF;
            case NumVfsChanged e -> SET_NUM_VFS;
            case VectorsReclaimed e -> RECLAIM;
            case VectorsAssigned e -> ASSIGN_VECTORS;
            case VfOpened e -> OPEN_VF;
            case VfClosed e -> CLOSE_VF;
            case ArmRebooted e -> ARM_RESET;
            case DefaultDistributionApplied e -> DEFAULT_DISTRIBUTION_APPLIED;
            case VectorsReleased e -> VECTORS_RELEASED;
        };
    }
}
