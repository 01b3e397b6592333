package io.msixpool.domain.state;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.PfEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Invariants I1-I5 of docs/rules.md. They return findings rather than throw, so the auditor can list
 * every broken rule of a history; the aggregate turns any finding into a loud failure.
 */
public final class Invariants {
    private Invariants() {
    }

    /** The findings on the PFs that {@code event} touched ({@link #checkedAfter}). */
    public static List<Violation> violationsAfter(DeviceState state, DeviceEvent event) {
        List<Violation> all = new ArrayList<>();
        checkedAfter(state, event).forEach(pf -> all.addAll(violations(pf)));
        return all;
    }

    /**
     * The PFs whose invariants are checked after {@code event}, in {@code state} as it left them: the
     * PF the event names, or every PF of the device for an event of the whole device (an Arm
     * reboot). An event changes no other PF, so no other can break an invariant by it.
     */
    public static Collection<PfState> checkedAfter(DeviceState state, DeviceEvent event) {
        return event instanceof PfEvent pfEvent ? List.of(state.pf(pfEvent.pf())) : state.pfs().values();
    }

    public static List<Violation> violations(PfState pf) {
        List<Violation> found = new ArrayList<>();
        long linked = 0;
        for (VfState vf : pf.vfs()) {
            linked += vf.msix();
            if (vf.msix() != 0 && (vf.msix() < pf.vfMinMsix() || vf.msix() > pf.vfMaxMsix())) {
                found.add(new Violation("I2", where(pf, vf), "holds " + vf.msix() + " vectors, outside 0 or ["
                        + pf.vfMinMsix() + ", " + pf.vfMaxMsix() + "]"));
            }
            if (vf.open() && vf.msix() < pf.vfMinMsix()) {
                found.add(new Violation("I3", where(pf, vf), "is open with " + vf.msix() + " vectors, fewer than "
                        + pf.vfMinMsix()));
            }
            if (vf.open() && !pf.open()) {
                found.add(new Violation("I4", where(pf, vf), "is open while its PF is closed"));
            }
        }
        if (pf.msixFree() < 0 || pf.msixFree() + linked != pf.msixTotal()) {
            found.add(new Violation("I1", "PF " + pf.pf(), "free " + pf.msixFree() + " + linked " + linked
                    + " != total " + pf.msixTotal()));
        }
        if (pf.numVfs() < 0 || pf.numVfs() > pf.vfCount()) {
            found.add(new Violation("I5", "PF " + pf.pf(), "numVfs " + pf.numVfs() + " outside [0, " + pf.vfCount() + "]"));
        }
        return found;
    }

    private static String where(PfState pf, VfState vf) {
        return "PF " + pf.pf() + " VF " + vf.vf();
    }
}
