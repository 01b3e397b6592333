package io.msixpool.replay.report;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.PfEvent;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.audit.AuditObserver;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Finding;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTML report of {@code msix audit --html}: one self-contained page (inline CSS and SVG, no
 * script, nothing to fetch) with a summary (source, events, devices, and "clean" or the number of
 * findings), the findings (the first 1,000), the actors with their commands by kind and when they
 * were seen, and per device and PF one picture: the free vectors over time (the last count in
 * each time slice as a line, the lowest to highest as a band, the PF's total dashed, findings as
 * red marks) over a heatmap of the vectors each VF held (rows VFs, colour the count, a legend).
 *
 * <p>It is filled in one pass as the auditor folds the log, and its memory does not grow with the
 * log. Time is cut into 240 slices that start one millisecond wide and double, merging
 * neighbours, whenever an event falls past the last ({@link Timeline}); each PF keeps per slice
 * its lowest, highest and last free count, and per VF row the most vectors held in each pair of
 * slices, beyond 128 rows neighbouring VFs summed into one ({@link PfSeries}): about 65 KB for a
 * PF of 128 VFs, whatever the log's length. Actors are tallied
 * per name (10,000 at most, the rest as one) and PFs charted up to 1,000. Folding an event costs
 * a few map look-ups and array writes and allocates nothing. The page stays small too: paths in
 * relative integer steps, and a busy PF's heatmap drawn with wider cells (1M events on 400 PFs of
 * 128 VFs make about 5 MB).
 */
public final class HtmlReport implements AuditObserver {
    static final int MAX_PFS = 1000;
    static final int MAX_ACTORS = 10_000;
    static final String NO_ACTOR = "(none)";
    static final String OTHER_ACTORS = "(other actors)";
    /** Findings waiting for the next event to be marked at its time; a line's findings come before it is folded. */
    private static final int MAX_PENDING = 64;

    private final String source;
    private final Timeline timeline = new Timeline();
    private final Map<String, DeviceTrack> devices = new HashMap<>();
    private final Map<String, ActorTally> actors = new HashMap<>();
    private final ActorTally otherActors = new ActorTally(OTHER_ACTORS);
    private final List<Finding> pending = new ArrayList<>();
    private int chartedPfs;
    private int unchartedPfs;

    /** One device: its PFs, and the actor whose CloseVf may yet turn out a ReleaseVectors. */
    private static final class DeviceTrack {
        final Map<String, PfSeries> pfs = new HashMap<>(8);
        final Set<String> uncharted = new HashSet<>();
        ActorTally closedBy;
    }

    /** @param source the file or store the log came from, shown in the title */
    public HtmlReport(String source) {
        this.source = Objects.requireNonNull(source);
    }

    @Override
    public void folded(Envelope envelope, DeviceEvent event, boolean beginsDecision, DeviceState after) {
        Instant time = envelope.timestamp();
        int column = timeline.column(time);
        DeviceTrack track = devices.computeIfAbsent(event.device(), device -> new DeviceTrack());
        ActorTally actor = actor(envelope.actor());
        actor.event(time == null ? 0 : time.toEpochMilli(), time != null);
        if (beginsDecision) {
            CommandKind kind = CommandKind.begunBy(event);
            actor.command(kind);
            track.closedBy = kind == CommandKind.CLOSE_VF ? actor : null;
        } else {
            if (track.closedBy != null && event instanceof VectorsReleased) {
                track.closedBy.recount(CommandKind.CLOSE_VF, CommandKind.RELEASE_VECTORS);
            }
            track.closedBy = null;
        }
        PfSeries series = null;
        if (event instanceof PfEvent pfEvent) {
            PfState pf = after.pfs().get(pfEvent.pf());
            if (pf != null) {
                series = series(track, event.device(), pfEvent.pf(), pf, column);
                if (series != null) {
                    series.record(column, pf, event);
                }
            }
        }
        if (!pending.isEmpty()) {
            markPending(column, envelope.position(), event.device(), series);
        }
    }

    @Override
    public void found(Finding finding) {
        if (finding.device() != null && pending.size() < MAX_PENDING) {
            pending.add(finding);
        }
    }

    /** Writes the page for the audit this report observed. */
    public void write(Path file, AuditResult result) throws IOException {
        markPending(Math.max(0, timeline.columnsUsed() - 1), -1, null, null);
        List<PfSeries> charted = new ArrayList<>(chartedPfs);
        devices.values().forEach(track -> charted.addAll(track.pfs.values()));
        charted.sort(Comparator.comparing((PfSeries s) -> s.device).thenComparing(s -> s.pf));
        List<ActorTally> tallies = new ArrayList<>(actors.values());
        if (otherActors.events() > 0) {
            tallies.add(otherActors);
        }
        tallies.sort(Comparator.comparingLong((ActorTally t) -> t.commands()).reversed()
                .thenComparing((ActorTally t) -> t.actor));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            new ReportPage(source, result, timeline, charted, unchartedPfs, tallies).write(out);
        }
    }

    private ActorTally actor(String name) {
        String key = name == null ? NO_ACTOR : name;
        ActorTally tally = actors.get(key);
        if (tally == null) {
            if (actors.size() >= MAX_ACTORS) {
                return otherActors;
            }
            tally = new ActorTally(key);
            actors.put(key, tally);
        }
        return tally;
    }

    private PfSeries series(DeviceTrack track, String device, String pf, PfState state, int column) {
        PfSeries series = track.pfs.get(pf);
        if (series != null) {
            return series;
        }
        if (chartedPfs >= MAX_PFS) {
            if (track.uncharted.add(pf)) {
                unchartedPfs++;
            }
            return null;
        }
        series = new PfSeries(device, pf, state, column);
        track.pfs.put(pf, series);
        timeline.add(series);
        chartedPfs++;
        return series;
    }

    /**
     * Marks the pending findings on their PF's chart at {@code column}: the folded event's PF when
     * the finding is about that very event, else the PF it names, if any.
     */
    private void markPending(int column, long position, String device, PfSeries folded) {
        for (Finding finding : pending) {
            PfSeries series = null;
            if (folded != null && finding.position() == position && finding.device().equals(device)) {
                series = folded;
            } else if (finding.pf() != null && devices.get(finding.device()) instanceof DeviceTrack track) {
                series = track.pfs.get(finding.pf());
            }
            if (series != null) {
                series.mark(column, finding.position());
            }
        }
        pending.clear();
    }

    ActorTally actorTally(String name) {
        return actors.get(name);
    }

    PfSeries series(String device, String pf) {
        DeviceTrack track = devices.get(device);
        return track == null ? null : track.pfs.get(pf);
    }

    Timeline timeline() {
        return timeline;
    }
}
