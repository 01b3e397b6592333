package io.msixpool.domain;

import static io.msixpool.domain.RejectionCode.*;

import io.msixpool.domain.Decision.Refused;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;

/**
 * The guards of docs/rules.md, one per rejection code: each rule is defined here and only here. A
 * guard answers the refusal its rule gives, or null when the rule holds ({@link Checklist} runs them
 * in order).
 */
final class Require {
    static final int MAX_PFS = 64;
    static final int MAX_VF_COUNT = 4096;
    static final int MAX_MSIX_TOTAL = 16_777_215;
    static final int MAX_VF_MSIX = 2048;

    private Require() {
    }

    /** UNKNOWN_DEVICE then UNKNOWN_PF: the first two checks of every command that names a PF. */
    static Refused pf(DeviceState state, String device, String pf) {
        Refused unknownDevice = knownDevice(state, device);
        if (unknownDevice != null) {
            return unknownDevice;
        }
        if (!state.pfs().containsKey(pf)) {
            return new Refused(UNKNOWN_PF, "device " + device + " has no PF " + pf);
        }
        return null;
    }

    static Refused knownDevice(DeviceState state, String device) {
        if (!state.known()) {
            return new Refused(UNKNOWN_DEVICE, RejectionCode.noPfProvisioned(device));
        }
        return null;
    }

    static Refused validConfig(int vfCount, int msixTotal, int vfMinMsix, int vfMaxMsix) {
        String problem = null;
        if (vfCount < 0 || vfCount > MAX_VF_COUNT) {
            problem = "vfCount " + vfCount + " is outside 0.." + MAX_VF_COUNT;
        } else if (msixTotal < 0 || msixTotal > MAX_MSIX_TOTAL) {
            problem = "msixTotal " + msixTotal + " is outside 0.." + MAX_MSIX_TOTAL;
        } else if (vfMinMsix < 1 || vfMinMsix > vfMaxMsix || vfMaxMsix > MAX_VF_MSIX) {
            problem = "need 1 <= vfMinMsix (" + vfMinMsix + ") <= vfMaxMsix (" + vfMaxMsix + ") <= " + MAX_VF_MSIX;
        } else if (vfCount > 0 && PfState.msixPerVfDefault(vfCount, msixTotal, vfMaxMsix) < vfMinMsix) {
            problem = "the even default of " + PfState.msixPerVfDefault(vfCount, msixTotal, vfMaxMsix)
                    + " vectors per VF is below vfMinMsix " + vfMinMsix;
        }
        return problem == null ? null : new Refused(INVALID_PF_CONFIG, problem);
    }

    static Refused notProvisioned(DeviceState state, String pf) {
        if (state.pfs().containsKey(pf)) {
            return new Refused(PF_ALREADY_PROVISIONED, "PF " + pf + " is already provisioned");
        }
        return null;
    }

    static Refused roomForPf(DeviceState state) {
        if (state.pfs().size() >= MAX_PFS) {
            return new Refused(TOO_MANY_PFS, "the device already has " + MAX_PFS + " PFs");
        }
        return null;
    }

    static Refused pfClosed(PfState pf) {
        if (pf.open()) {
            return new Refused(PF_ALREADY_OPEN, "PF " + pf.pf() + " is already open");
        }
        return null;
    }

    static Refused pfOpen(PfState pf) {
        if (!pf.open()) {
            return new Refused(PF_NOT_OPEN, "PF " + pf.pf() + " is not open");
        }
        return null;
    }

    static Refused dynamicMsix(PfState pf) {
        if (!pf.dynamicMsix()) {
            return new Refused(DYNAMIC_MSIX_DISABLED, "PF " + pf.pf() + " was opened without dynamic MSI-X");
        }
        return null;
    }

    static Refused noOpenVfs(PfState pf) {
        if (pf.hasOpenVfs()) {
            return new Refused(VF_CONTROLLERS_OPEN, "PF " + pf.pf() + " still has open VF controllers");
        }
        return null;
    }

    static Refused sriovDisabled(PfState pf) {
        if (pf.numVfs() > 0) {
            return new Refused(SRIOV_ENABLED, "the host has SR-IOV on for PF " + pf.pf() + " (numVfs "
                    + pf.numVfs() + "); set it to 0 first");
        }
        return null;
    }

    static Refused numVfsInRange(PfState pf, int numVfs) {
        if (numVfs < 0 || numVfs > pf.vfCount()) {
            return new Refused(NUMVFS_OUT_OF_RANGE, "numVfs " + numVfs + " is outside 0.." + pf.vfCount());
        }
        return null;
    }

    /** The host must go through 0 to change a non-zero sriov_numvfs, as the kernel requires. */
    static Refused numVfsThroughZero(PfState pf, int numVfs) {
        if (pf.numVfs() != 0 && numVfs != 0 && pf.numVfs() != numVfs) {
            return new Refused(NUMVFS_BUSY, "numVfs is " + pf.numVfs() + "; set it to 0 before " + numVfs);
        }
        return null;
    }

    static Refused vf(PfState pf, int vf) {
        if (!pf.hasVf(vf)) {
            String has = pf.vfCount() == 0 ? "no VFs" : "VFs 0.." + (pf.vfCount() - 1);
            return new Refused(UNKNOWN_VF, "PF " + pf.pf() + " has " + has + ", not " + vf);
        }
        return null;
    }

    static Refused vfClosed(PfState pf, VfState vf) {
        if (vf.open()) {
            return new Refused(VF_ALREADY_OPEN, "VF " + vf.vf() + " of PF " + pf.pf() + " is already open");
        }
        return null;
    }

    static Refused vfOpen(PfState pf, VfState vf) {
        if (!vf.open()) {
            return new Refused(VF_NOT_OPEN, "VF " + vf.vf() + " of PF " + pf.pf() + " is not open");
        }
        return null;
    }

    static Refused vfUnlinked(PfState pf, VfState vf) {
        if (vf.msix() > 0) {
            return new Refused(VF_ALREADY_LINKED, "VF " + vf.vf() + " of PF " + pf.pf() + " still holds "
                    + vf.msix() + " vectors; release or reclaim them first");
        }
        return null;
    }

    static Refused vfLinked(PfState pf, VfState vf) {
        if (vf.msix() == 0) {
            return new Refused(VF_HAS_NO_VECTORS, "VF " + vf.vf() + " of PF " + pf.pf() + " has no vectors");
        }
        return null;
    }

    static Refused msixInRange(PfState pf, int msix) {
        if (msix < pf.vfMinMsix() || msix > pf.vfMaxMsix()) {
            return new Refused(MSIX_OUT_OF_RANGE, msix + " vectors is outside " + pf.vfMinMsix() + ".."
                    + pf.vfMaxMsix() + " for PF " + pf.pf());
        }
        return null;
    }

    static Refused msixFree(PfState pf, VfState vf, int msix) {
        if (msix > pf.msixFree()) {
            return new Refused(INSUFFICIENT_FREE_MSIX, "VF " + vf.vf() + " asks for " + msix + " vectors, "
                    + pf.msixFree() + " are free");
        }
        return null;
    }
}
