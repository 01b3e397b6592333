package io.msixpool.domain.state;

/** VF {@code vf} of its PF: the vectors linked to it and whether its VF controller is open. */
public record VfState(int vf, int msix, boolean open) {
    public VfState withMsix(int newMsix) {
        return new VfState(vf, newMsix, open);
    }

    public VfState withOpen(boolean nowOpen) {
        return new VfState(vf, msix, nowOpen);
    }
}
