package io.msixpool.domain.state;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.event.PfProvisioned;
import io.msixpool.domain.event.ReclaimedVf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One PF's pool, immutable. {@code msixFree} is kept as its own running count (not recomputed from
 * the VFs) so that invariant I1 compares two independently maintained numbers and can actually fail.
 */
public record PfState(String pf, Emulation emulation, int vfCount, int msixTotal, int vfMinMsix, int vfMaxMsix,
                      int msixFree, boolean open, boolean dynamicMsix, int numVfs, List<VfState> vfs) {

    public PfState {
        vfs = List.copyOf(vfs);
    }

    /** A freshly provisioned PF: closed, every VF unlinked until DefaultDistributionApplied. */
    public static PfState provisioned(PfProvisioned e) {
        List<VfState> vfs = new ArrayList<>(e.vfCount());
        for (int i = 0; i < e.vfCount(); i++) {
            vfs.add(new VfState(i, 0, false));
        }
        return new PfState(e.pf(), e.emulation(), e.vfCount(), e.msixTotal(), e.vfMinMsix(), e.vfMaxMsix(),
                e.msixTotal(), false, false, 0, vfs);
    }

    /** rules.md: {@code vfCount == 0 ? 0 : min(msixTotal / vfCount, vfMaxMsix)}. */
    public static int msixPerVfDefault(int vfCount, int msixTotal, int vfMaxMsix) {
        return vfCount == 0 ? 0 : Math.min(msixTotal / vfCount, vfMaxMsix);
    }

    public int msixPerVfDefault() {
        return msixPerVfDefault(vfCount, msixTotal, vfMaxMsix);
    }

    public boolean hasOpenVfs() {
        return vfs.stream().anyMatch(VfState::open);
    }

    public boolean hasVf(int vf) {
        return vf >= 0 && vf < vfCount;
    }

    public VfState vf(int vf) {
        return vfs.get(vf);
    }

    public PfState withDefaultDistribution(int msixPerVf) {
        return withAllVfs(v -> v.withMsix(msixPerVf), msixTotal - vfCount * msixPerVf);
    }

    public PfState opened(boolean dynamic) {
        return new PfState(pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, msixFree, true, dynamic,
                numVfs, vfs);
    }

    public PfState closed() {
        return new PfState(pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, msixFree, false, false,
                numVfs, vfs);
    }

    public PfState withNumVfs(int to) {
        return new PfState(pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, msixFree, open, dynamicMsix,
                to, vfs);
    }

    /** Moves {@code delta} vectors from the free pool to VF {@code vf} (negative: back to the pool). */
    public PfState withVectorsMoved(int vf, int delta) {
        return withVf(vf, v -> v.withMsix(v.msix() + delta), msixFree - delta);
    }

    public PfState withReclaimed(List<ReclaimedVf> reclaimed) {
        VfState[] next = vfs.toArray(VfState[]::new);
        int free = msixFree;
        for (ReclaimedVf r : reclaimed) {
            next[r.vf()] = next[r.vf()].withMsix(next[r.vf()].msix() - r.msix());
            free += r.msix();
        }
        return withVfs(Arrays.asList(next), free);
    }

    public PfState withVfOpen(int vf, boolean nowOpen) {
        return withVf(vf, v -> v.withOpen(nowOpen), msixFree);
    }

    /** After an Arm reboot: PF and every VF closed, not dynamic, SR-IOV off; links untouched. */
    public PfState rebooted() {
        return new PfState(pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, msixFree, false, false, 0,
                vfs.stream().map(v -> v.withOpen(false)).toList());
    }

    private PfState withVf(int vf, UnaryOperator<VfState> change, int free) {
        VfState[] next = vfs.toArray(VfState[]::new);
        next[vf] = change.apply(next[vf]);
        return withVfs(Arrays.asList(next), free);
    }

    private PfState withAllVfs(UnaryOperator<VfState> change, int free) {
        return withVfs(vfs.stream().map(change).toList(), free);
    }

    private PfState withVfs(List<VfState> next, int free) {
        return new PfState(pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, free, open, dynamicMsix,
                numVfs, next);
    }
}
