package io.msixpool.domain;

import static io.msixpool.domain.RejectionCode.*;

import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;

/** The guards of docs/rules.md, one per rejection code: each rule is defined here and only here. */
final class Require {
    static final int MAX_PFS = 64;
    static final int MAX_VF_COUNT = 4096;
    static final int MAX_MSIX_TOTAL = 16_777_215;
    static final int MAX_VF_MSIX = 2048;

    private Require() {
    }

    /** UNKNOWN_DEVICE then UNKNOWN_PF: the first two checks of every command that names a PF. */
    static PfState pf(DeviceState state, String device, String pf) {
        knownDevice(state, device);
        PfState found = state.pfs().get(pf);
        if (found == null) {
            throw new Rejection(UNKNOWN_PF, "device " + device + " has no PF " + pf);
        }
        return found;
    }

    static void knownDevice(DeviceState state, String device) {
        if (!state.known()) {
            throw new Rejection(UNKNOWN_DEVICE, RejectionCode.noPfProvisioned(device));
        }
    }

    static void validConfig(int vfCount, int msixTotal, int vfMinMsix, int vfMaxMsix) {
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
        if (problem != null) {
            throw new Rejection(INVALID_PF_CONFIG, problem);
        }
    }

    static void notProvisioned(DeviceState state, String pf) {
        if (state.pfs().containsKey(pf)) {
            throw new Rejection(PF_ALREADY_PROVISIONED, "PF " + pf + " is already provisioned");
        }
    }

    static void roomForPf(DeviceState state) {
        if (state.pfs().size() >= MAX_PFS) {
            throw new Rejection(TOO_MANY_PFS, "the device already has " + MAX_PFS + " PFs");
        }
    }

    static void pfClosed(PfState pf) {
        if (pf.open()) {
            throw new Rejection(PF_ALREADY_OPEN, "PF " + pf.pf() + " is already open");
        }
    }

    static void pfOpen(PfState pf) {
        if (!pf.open()) {
            throw new Rejection(PF_NOT_OPEN, "PF " + pf.pf() + " is not open");
        }
    }

    static void dynamicMsix(PfState pf) {
        if (!pf.dynamicMsix()) {
            throw new Rejection(DYNAMIC_MSIX_DISABLED, "PF " + pf.pf() + " was opened without dynamic MSI-X");
        }
    }

    static void noOpenVfs(PfState pf) {
        if (pf.hasOpenVfs()) {
            throw new Rejection(VF_CONTROLLERS_OPEN, "PF " + pf.pf() + " still has open VF controllers");
        }
    }

    static void sriovDisabled(PfState pf) {
        if (pf.numVfs() > 0) {
            throw new Rejection(SRIOV_ENABLED, "the host has SR-IOV on for PF " + pf.pf() + " (numVfs "
                    + pf.numVfs() + "); set it to 0 first");
        }
    }

    static void numVfsInRange(PfState pf, int numVfs) {
        if (numVfs < 0 || numVfs > pf.vfCount()) {
            throw new Rejection(NUMVFS_OUT_OF_RANGE, "numVfs " + numVfs + " is outside 0.." + pf.vfCount());
        }
    }

    /** The host must go through 0 to change a non-zero sriov_numvfs, as the kernel requires. */
    static void numVfsThroughZero(PfState pf, int numVfs) {
        if (pf.numVfs() != 0 && numVfs != 0 && pf.numVfs() != numVfs) {
            throw new Rejection(NUMVFS_BUSY, "numVfs is " + pf.numVfs() + "; set it to 0 before " + numVfs);
        }
    }

    static VfState vf(PfState pf, int vf) {
        if (!pf.hasVf(vf)) {
            String has = pf.vfCount() == 0 ? "no VFs" : "VFs 0.." + (pf.vfCount() - 1);
            throw new Rejection(UNKNOWN_VF, "PF " + pf.pf() + " has " + has + ", not " + vf);
        }
        return pf.vf(vf);
    }

    static void vfClosed(PfState pf, VfState vf) {
        if (vf.open()) {
            throw new Rejection(VF_ALREADY_OPEN, "VF " + vf.vf() + " of PF " + pf.pf() + " is already open");
        }
    }

    static void vfOpen(PfState pf, VfState vf) {
        if (!vf.open()) {
            throw new Rejection(VF_NOT_OPEN, "VF " + vf.vf() + " of PF " + pf.pf() + " is not open");
        }
    }

    static void vfUnlinked(PfState pf, VfState vf) {
        if (vf.msix() > 0) {
            throw new Rejection(VF_ALREADY_LINKED, "VF " + vf.vf() + " of PF " + pf.pf() + " still holds "
                    + vf.msix() + " vectors; release or reclaim them first");
        }
    }

    static void vfLinked(PfState pf, VfState vf) {
        if (vf.msix() == 0) {
            throw new Rejection(VF_HAS_NO_VECTORS, "VF " + vf.vf() + " of PF " + pf.pf() + " has no vectors");
        }
    }

    static void msixInRange(PfState pf, int msix) {
        if (msix < pf.vfMinMsix() || msix > pf.vfMaxMsix()) {
            throw new Rejection(MSIX_OUT_OF_RANGE, msix + " vectors is outside " + pf.vfMinMsix() + ".."
                    + pf.vfMaxMsix() + " for PF " + pf.pf());
        }
    }

    static void msixFree(PfState pf, VfState vf, int msix) {
        if (msix > pf.msixFree()) {
            throw new Rejection(INSUFFICIENT_FREE_MSIX, "VF " + vf.vf() + " asks for " + msix + " vectors, "
                    + pf.msixFree() + " are free");
        }
    }
}
