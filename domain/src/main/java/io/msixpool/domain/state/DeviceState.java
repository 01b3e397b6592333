package io.msixpool.domain.state;

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
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * One device's pools, immutable, and the single fold of what each event means. The aggregate, the
 * projections and the auditor all call {@link #evolve}, so an event has exactly one meaning.
 * PFs are kept sorted by {@code String.compareTo}, the order docs/rules.md and docs/wire.md use.
 */
public record DeviceState(String device, SortedMap<String, PfState> pfs) {
    public static final DeviceState EMPTY = new DeviceState(null, new TreeMap<>());

    public DeviceState {
        // A map built here is fresh and never leaves unwrapped: taken over. Any other map is copied.
        pfs = Collections.unmodifiableSortedMap(pfs instanceof FreshPfs ? pfs : new TreeMap<>(pfs));
    }

    /** The PFs of the next state, built by this record alone, so the constructor need not copy them again. */
    private static final class FreshPfs extends TreeMap<String, PfState> {
        FreshPfs(SortedMap<String, PfState> pfs) {
            super(pfs);
        }

        FreshPfs() {
        }
    }

    /** docs/rules.md: a device exists once a PF has been provisioned on it; PFs are never removed. */
    public boolean known() {
        return !pfs.isEmpty();
    }

    public PfState pf(String pf) {
        PfState state = pfs.get(pf);
        if (state == null) {
            throw new IllegalStateException("device " + device + " has no PF " + pf);
        }
        return state;
    }

    public static DeviceState replay(Iterable<? extends DeviceEvent> events) {
        DeviceState state = EMPTY;
        for (DeviceEvent event : events) {
            state = state.evolve(event);
        }
        return state;
    }

    public DeviceState evolve(DeviceEvent event) {
        return switch (event) {
            case PfProvisioned e -> new DeviceState(e.device(), with(e.pf(), PfState.provisioned(e)));
            case DefaultDistributionApplied e -> change(e.pf(), pf -> pf.withDefaultDistribution(e.msixPerVf()));
            case PfOpened e -> change(e.pf(), pf -> pf.opened(e.dynamicMsix()));
            case PfClosed e -> change(e.pf(), PfState::closed);
            case NumVfsChanged e -> change(e.pf(), pf -> pf.withNumVfs(e.to()));
            case VectorsReclaimed e -> change(e.pf(), pf -> pf.withReclaimed(e.reclaimed()));
            case VectorsAssigned e -> change(e.pf(), pf -> pf.withVectorsMoved(e.vf(), e.msix()));
            case VfOpened e -> change(e.pf(), pf -> pf.withVfOpen(e.vf(), true));
            case VfClosed e -> change(e.pf(), pf -> pf.withVfOpen(e.vf(), false));
            case VectorsReleased e -> change(e.pf(), pf -> pf.withVectorsMoved(e.vf(), -e.msix()));
            case ArmRebooted e -> rebooted();
        };
    }

    private DeviceState change(String pf, UnaryOperator<PfState> change) {
        return new DeviceState(device, with(pf, change.apply(pf(pf))));
    }

    private SortedMap<String, PfState> with(String pf, PfState state) {
        FreshPfs next = new FreshPfs(pfs);
        next.put(pf, state);
        return next;
    }

    private DeviceState rebooted() {
        FreshPfs next = new FreshPfs();
        pfs.forEach((id, pf) -> next.put(id, pf.rebooted()));
        return new DeviceState(device, next);
    }
}
