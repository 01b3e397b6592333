package io.msixpool.domain.event;

/** An event about one PF: the invariants need re-checking on that PF only. */
public sealed interface PfEvent extends DeviceEvent
        permits PfProvisioned, DefaultDistributionApplied, PfOpened, PfClosed, NumVfsChanged, VectorsReclaimed,
        VectorsAssigned, VfOpened, VfClosed, VectorsReleased {
    String pf();
}
