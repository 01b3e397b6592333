package io.msixpool.projections.fleet;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;

/**
 * One PF of the fleet in a line (docs/wire.md "Fleet summary"): what an orchestrator compares across
 * devices, derived from the PF's {@link PfState} (its linked and stranded counts are the pool view's own).
 */
public record PfSummary(String device, String pf, Emulation emulation, boolean open, boolean dynamicMsix, int msixTotal,
                        int msixFree, int msixLinked, int msixStranded, int numVfs, int vfsOpen) {

    public static PfSummary of(String device, PfState pf) {
        int vfsOpen = 0;
        for (VfState vf : pf.vfs()) {
            if (vf.open()) {
                vfsOpen++;
            }
        }
        return new PfSummary(device, pf.pf(), pf.emulation(), pf.open(), pf.dynamicMsix(), pf.msixTotal(),
                pf.msixFree(), pf.msixLinked(), pf.msixStranded(), pf.numVfs(), vfsOpen);
    }

    public PfKey key() {
        return new PfKey(device, pf);
    }
}
