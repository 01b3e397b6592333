package io.msixpool.projections.fleet;

import io.msixpool.domain.Emulation;

/** Which PF summaries a fleet listing or watch wants; a null field does not filter. */
public record FleetFilter(Emulation emulation, Integer minFree, Boolean open) {
    public static final FleetFilter ALL = new FleetFilter(null, null, null);

    public boolean matches(PfSummary summary) {
        return (emulation == null || summary.emulation() == emulation)
                && (minFree == null || summary.msixFree() >= minFree)
                && (open == null || summary.open() == open);
    }
}
