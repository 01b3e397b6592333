package io.msixpool.projections.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.msixpool.domain.Decision;
import io.msixpool.domain.DeviceRules;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.PfEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Every device's state in memory, with each PF's summary in (device, pf) order for listings and in
 * best-fit order for placements (docs/wire.md "Fleet" and "Placements"). Events are folded with
 * {@link DeviceState#evolve}, the one meaning of an event; whether a command would be accepted is
 * asked of {@link DeviceRules} on the state held here, so a placement cannot disagree with a decision.
 * Readers see the fleet between two events, never in the middle of one.
 */
public final class Fleet {
    /**
     * The placement policy: the smallest free pool first (large pools stay whole for large requests),
     * then the fewest stranded vectors, then (device, pf) so that equal PFs come in a stable order.
     */
    public static final Comparator<PfSummary> BEST_FIT = Comparator.comparingInt(PfSummary::msixFree)
            .thenComparingInt(PfSummary::msixStranded).thenComparing(PfSummary::key);

    /** One PF changed by an event: its summary before (null for a new PF) and after. */
    public record Change(PfSummary before, PfSummary after) {
    }

    /** One page of a listing (docs/wire.md "Fleet"); {@code next} is the {@code after} of the next page, absent after the last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page(List<PfSummary> pools, PfKey next) {
    }

    /** An answer of placements (docs/wire.md "Placements"), best first. */
    public record Placements(List<Placement> placements) {
    }

    private record Known(DeviceState state, long sequence) {
    }

    /** A PF's summary and the lowest VF without vectors (-1 for none), the VF a placement would name. */
    private record Entry(PfSummary summary, int unlinkedVf) {
        static Entry of(String device, PfState pf) {
            int unlinked = -1;
            for (int vf = 0; vf < pf.vfCount() && unlinked < 0; vf++) {
                if (pf.vf(vf).msix() == 0) {
                    unlinked = vf;
                }
            }
            return new Entry(PfSummary.of(device, pf), unlinked);
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Known> devices;
    private final TreeMap<PfKey, Entry> pfs = new TreeMap<>();
    private final TreeSet<PfSummary> bestFit = new TreeSet<>(BEST_FIT);

    public Fleet() {
        this(new HashMap<>());
    }

    private Fleet(Map<String, Known> devices) {
        this.devices = devices;
        devices.forEach((device, known) -> known.state().pfs().values().forEach(pf -> index(device, pf)));
    }

    /** Folds a whole log first and indexes the PFs once at the end: a rebuild at start, not a PF's summary per event. */
    public static final class Builder {
        private final Map<String, Known> devices = new HashMap<>();

        public void take(DeviceEvent event, long sequence) {
            Known known = devices.get(event.device());
            DeviceState before = known == null ? DeviceState.EMPTY : known.state();
            devices.put(event.device(), new Known(before.evolve(event), sequence));
        }

        public Fleet build() {
            return new Fleet(devices);
        }
    }

    /**
     * Takes the device's event at {@code sequence}; an event at or below the last one taken is
     * ignored, so the same event may come from two sources. Returns the PFs it changed.
     */
    public List<Change> apply(DeviceEvent event, long sequence) {
        return write(() -> {
            Known known = devices.get(event.device());
            if (known != null && sequence <= known.sequence()) {
                return List.of();
            }
            DeviceState state = (known == null ? DeviceState.EMPTY : known.state()).evolve(event);
            devices.put(event.device(), new Known(state, sequence));
            Collection<String> changed = event instanceof PfEvent pfEvent ? List.of(pfEvent.pf()) : state.pfs().keySet();
            List<Change> changes = new ArrayList<>(changed.size());
            for (String pf : changed) {
                Entry before = pfs.get(new PfKey(event.device(), pf));
                if (before != null) {
                    bestFit.remove(before.summary());
                }
                Entry after = index(event.device(), state.pf(pf));
                changes.add(new Change(before == null ? null : before.summary(), after.summary()));
            }
            return changes;
        });
    }

    /** The sequence of the device's last event taken, -1 for none. */
    public long sequenceOf(String device) {
        return read(() -> {
            Known known = devices.get(device);
            return known == null ? -1L : known.sequence();
        });
    }

    /** Vectors of one emulation's PFs across the fleet: in all, free, linked and stranded. */
    public record Totals(long total, long free, long linked, long stranded) {
        public static final Totals NONE = new Totals(0, 0, 0, 0);

        Totals plus(PfSummary pf) {
            return new Totals(total + pf.msixTotal(), free + pf.msixFree(), linked + pf.msixLinked(),
                    stranded + pf.msixStranded());
        }
    }

    /** The fleet's vectors by emulation (for metrics: totals, not a series per PF). */
    public Map<Emulation, Totals> totals() {
        return read(() -> {
            Map<Emulation, Totals> totals = new EnumMap<>(Emulation.class);
            for (Entry entry : pfs.values()) {
                PfSummary pf = entry.summary();
                if (pf.emulation() != null) {
                    totals.put(pf.emulation(), totals.getOrDefault(pf.emulation(), Totals.NONE).plus(pf));
                }
            }
            return totals;
        });
    }

    public int pfCount() {
        return read(pfs::size);
    }

    /** Up to {@code limit} summaries that match, in (device, pf) order after {@code after} (null: from the first). */
    public Page page(FleetFilter filter, PfKey after, int limit) {
        return read(() -> {
            List<PfSummary> page = new ArrayList<>(Math.min(limit, 1024));
            for (Entry entry : (after == null ? pfs : pfs.tailMap(after, false)).values()) {
                if (!filter.matches(entry.summary())) {
                    continue;
                }
                if (page.size() == limit) {
                    return new Page(page, page.getLast().key());
                }
                page.add(entry.summary());
            }
            return new Page(page, null);
        });
    }

    /**
     * Where an AssignVectors of {@code msix} vectors would be accepted now, at most one per PF (its
     * lowest VF without vectors: if the rules take any VF of a PF they take that one, since VFs differ
     * only in being open and linked), best fit first ({@link #BEST_FIT}), at most {@code limit}.
     * {@code emulation} null takes both. The rules decide each PF; the walk starts at the pools with
     * at least {@code msix} free vectors only because the best-fit order puts the others before them.
     */
    public List<Placement> placements(Emulation emulation, int msix, int limit) {
        return read(() -> {
            List<Placement> placements = new ArrayList<>(Math.min(limit, 1024));
            PfSummary smallestThatFits = new PfSummary("", "", null, false, false, 0, msix, 0, Integer.MIN_VALUE, 0, 0);
            for (PfSummary pf : bestFit.tailSet(smallestThatFits, true)) {
                if (placements.size() == limit) {
                    break;
                }
                if (emulation != null && pf.emulation() != emulation) {
                    continue;
                }
                int vf = pfs.get(pf.key()).unlinkedVf();
                if (vf < 0) {
                    continue; // every VF holds vectors: no AssignVectors can be accepted on this PF
                }
                AssignVectors command = new AssignVectors(pf.device(), pf.pf(), vf, msix);
                if (DeviceRules.decide(devices.get(pf.device()).state(), command) instanceof Decision.Accepted) {
                    placements.add(Placement.of(pf, command));
                }
            }
            return placements;
        });
    }

    private Entry index(String device, PfState pf) {
        Entry entry = Entry.of(device, pf);
        pfs.put(entry.summary().key(), entry);
        bestFit.add(entry.summary());
        return entry;
    }

    private <T> T read(Supplier<T> reading) {
        lock.readLock().lock();
        try {
            return reading.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> writing) {
        lock.writeLock().lock();
        try {
            return writing.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
