package io.msixpool.replay;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.DecisionCheck.Expectation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pools as they were at one point of the log: the fold of every event up to and including
 * that point, with the very fold the aggregate uses ({@link DeviceState#evolve}). No check is
 * made here; {@code msix audit} does those.
 *
 * <p>A point is a position (every event at or before it) or a time (every event up to the first
 * one recorded after it: the log is in commit order, and the pools at a time are what had been
 * committed by then). A command's events commit together, so a point inside a decision (between
 * {@code VectorsAssigned} and its {@code VfOpened}, say) takes the rest of that decision too: the
 * state in between was never committed. Feed it the log's events in order with {@link #accept}
 * until it answers false.
 */
public final class PointInTime {
    private final Long atPosition;
    private final Instant atTime;
    private final String onlyDevice;
    /** Hashed while folding (a million lookups), sorted once in {@link #devices}. */
    private final Map<String, DeviceState> devices = new HashMap<>();
    /** Per device, the rest of the decision its latest folded event belongs to, while there is a rest. */
    private final Map<String, Expectation> unfinished = new HashMap<>();
    private boolean passed;
    private long events;
    private Envelope first;
    private Envelope last;

    private PointInTime(Long atPosition, Instant atTime, String onlyDevice) {
        this.atPosition = atPosition;
        this.atTime = atTime;
        this.onlyDevice = onlyDevice;
    }

    /** The pools at the end of the log, or of one device when {@code onlyDevice} is not null. */
    public static PointInTime atEnd(String onlyDevice) {
        return new PointInTime(null, null, onlyDevice);
    }

    public static PointInTime atPosition(long position, String onlyDevice) {
        return new PointInTime(position, null, onlyDevice);
    }

    public static PointInTime atTime(Instant time, String onlyDevice) {
        return new PointInTime(null, time, onlyDevice);
    }

    /**
     * Folds {@code log} up to the point (lines parsed on every core, folded in order): what
     * {@code msix replay} and the bench run. A line that is not an event stops it with its line
     * number, but only once the fold reaches that line: one past the point, parsed ahead in the
     * same batch, does not.
     */
    public void fold(LogLines log, LineBatches.Progress progress) {
        log.forEach(Read::of, Read::ofBatch, read -> accept(read.event()), progress);
    }

    /** A line read, or why it could not be, until the fold reaches it. */
    private record Read(LoggedEvent read, String problem) {
        static Read of(long line, String text) {
            try {
                return new Read(EventLogFormat.read(text), null);
            } catch (IllegalArgumentException broken) {
                return new Read(null, "line " + line + " is not an event (msix audit lists every broken line): "
                        + EventLogFormat.why(broken));
            }
        }

        static List<Read> ofBatch(byte[] bytes, int from, int to) {
            List<LoggedEvent> events = EventLogFormat.readLines(bytes, from, to);
            return events == null ? null : events.stream().map(event -> new Read(event, null)).toList();
        }

        LoggedEvent event() {
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return read;
        }
    }

    /**
     * Folds the event if it is at or before the point, or if it completes a decision begun before
     * the point (a command's events commit together, so no state between them was ever committed);
     * false once nothing more can be folded.
     */
    public boolean accept(LoggedEvent logged) {
        Envelope envelope = logged.envelope();
        if (first == null) {
            first = envelope;
        }
        DeviceEvent event = logged.event();
        String device = event.device();
        boolean mine = onlyDevice == null || onlyDevice.equals(device);
        if (!passed && (atPosition != null && envelope.position() > atPosition
                || atTime != null && envelope.timestamp().isAfter(atTime))) {
            passed = true;
        }
        if (!passed) {
            events++;
            if (mine) {
                fold(device, logged);
            }
            return true;
        }
        Expectation pending = unfinished.remove(device);
        if (mine && pending != null && pending.continuesWith(event)) {
            events++;
            fold(device, logged);
        }
        return !unfinished.isEmpty();
    }

    private void fold(String device, LoggedEvent logged) {
        last = logged.envelope();
        DeviceState before = devices.getOrDefault(device, DeviceState.EMPTY);
        devices.put(device, before.evolve(logged.event()));
        if (atPosition != null || atTime != null) {
            // Only a point inside the log needs to know where each device's decision stands.
            Expectation pending = unfinished.get(device);
            Expectation next = pending != null && pending.continuesWith(logged.event()) ? pending.afterNext()
                    : DecisionCheck.check(before, logged.event()) instanceof Expectation begun ? begun
                    : Expectation.NOTHING_MORE;
            if (next.rest().isEmpty()) {
                unfinished.remove(device);
            } else {
                unfinished.put(device, next);
            }
        }
    }

    /** Every device's state at the point, in device order. */
    public SortedMap<String, DeviceState> devices() {
        return new TreeMap<>(devices);
    }

    /** The events folded (of every device, as each moves the point along). */
    public long events() {
        return events;
    }

    /** The envelope of the log's first event, whether or not it is before the point; empty for an empty log. */
    public Optional<Envelope> first() {
        return Optional.ofNullable(first);
    }

    /** The envelope of the last event at or before the point, if any. */
    public Optional<Envelope> last() {
        return Optional.ofNullable(last);
    }
}
