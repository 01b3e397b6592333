package io.msixpool.domain.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.event.PfProvisioned;
import io.msixpool.domain.event.ReclaimedVf;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One PF's pool, immutable. {@code msixFree} is kept as its own running count (not recomputed from
 * the VFs) so that invariant I1 compares two independently maintained numbers and can actually fail.
 */
@JsonPropertyOrder({"pf", "emulation", "vfCount", "msixTotal", "vfMinMsix", "vfMaxMsix", "msixFree", "msixLinked",
        "msixStranded", "open", "dynamicMsix", "numVfs", "vfs"})
// Derived counts are written (pool views, snapshots) and ignored when read back: the VFs are their truth.
@JsonIgnoreProperties(value = {"msixLinked", "msixStranded"}, allowGetters = true)
public record PfState(String pf, Emulation emulation, int vfCount, int msixTotal, int vfMinMsix, int vfMaxMsix,
                      int msixFree, boolean open, boolean dynamicMsix, int numVfs, List<VfState> vfs) {

    public PfState {
        // Lists built here are already unmodifiable and unshared; any other list is copied.
        vfs = vfs instanceof VfArray own ? own : List.copyOf(vfs);
    }

    /** A freshly provisioned PF: closed, every VF unlinked until DefaultDistributionApplied. */
    public static PfState provisioned(PfProvisioned e) {
        VfState[] vfs = new VfState[e.vfCount()];
        for (int i = 0; i < vfs.length; i++) {
            vfs[i] = new VfState(i, 0, false);
        }
        return new PfState(e.pf(), e.emulation(), e.vfCount(), e.msixTotal(), e.vfMinMsix(), e.vfMaxMsix(),
                e.msixTotal(), false, false, 0, new VfArray(vfs));
    }

    /** docs/rules.md: {@code vfCount == 0 ? 0 : min(msixTotal / vfCount, vfMaxMsix)}. */
    public static int msixPerVfDefault(int vfCount, int msixTotal, int vfMaxMsix) {
        return vfCount == 0 ? 0 : Math.min(msixTotal / vfCount, vfMaxMsix);
    }

    public int msixPerVfDefault() {
        return msixPerVfDefault(vfCount, msixTotal, vfMaxMsix);
    }

    /** Vectors linked to VFs, open or not. */
    @JsonProperty("msixLinked")
    public int msixLinked() {
        int linked = 0;
        for (VfState vf : vfs) {
            linked += vf.msix();
        }
        return linked;
    }

    /**
     * Vectors linked to VFs whose controller is not open: held, serving no VM, and out of the free
     * pool until released or reclaimed (docs/wire.md "Pool view").
     */
    @JsonProperty("msixStranded")
    public int msixStranded() {
        int stranded = 0;
        for (VfState vf : vfs) {
            if (!vf.open()) {
                stranded += vf.msix();
            }
        }
        return stranded;
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
        VfState[] next = copyOfVfs();
        int free = msixFree;
        for (ReclaimedVf r : reclaimed) {
            next[r.vf()] = next[r.vf()].withMsix(next[r.vf()].msix() - r.msix());
            free += r.msix();
        }
        return withVfs(next, free);
    }

    public PfState withVfOpen(int vf, boolean nowOpen) {
        return withVf(vf, v -> v.withOpen(nowOpen), msixFree);
    }

    /** After an Arm reboot: PF and every VF closed, not dynamic, SR-IOV off; links untouched. */
    public PfState rebooted() {
        return new PfState(pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, msixFree, false, false, 0,
                new VfArray(changeAll(v -> v.withOpen(false))));
    }

    private PfState withVf(int vf, UnaryOperator<VfState> change, int free) {
        VfState[] next = copyOfVfs();
        next[vf] = change.apply(next[vf]);
        return withVfs(next, free);
    }

    private PfState withAllVfs(UnaryOperator<VfState> change, int free) {
        return withVfs(changeAll(change), free);
    }

    private VfState[] changeAll(UnaryOperator<VfState> change) {
        VfState[] next = copyOfVfs();
        for (int i = 0; i < next.length; i++) {
            next[i] = change.apply(next[i]);
        }
        return next;
    }

    private VfState[] copyOfVfs() {
        return vfs instanceof VfArray own ? own.copy() : vfs.toArray(VfState[]::new);
    }

    /** The PF with {@code next} as its VFs, taken over without a copy: {@code next} must be a fresh array. */
    private PfState withVfs(VfState[] next, int free) {
        return new PfState(pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, free, open, dynamicMsix,
                numVfs, new VfArray(next));
    }
}
