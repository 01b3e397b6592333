package io.msixpool.replay;

import io.msixpool.domain.state.DeviceState;
import java.time.Instant;
import java.util.HashMap;
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
 * committed by then). Feed it the log's events in order with {@link #accept} until it answers
 * false.
 */
public final class PointInTime {
    private final Long atPosition;
    private final Instant atTime;
    private final String onlyDevice;
    /** Hashed while folding (a million lookups), sorted once in {@link #devices}. */
    private final Map<String, DeviceState> devices = new HashMap<>();
    private long events;
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

    /** Folds the event if it is at or before the point; false once the log has passed the point. */
    public boolean accept(LoggedEvent logged) {
        Envelope envelope = logged.envelope();
        if (atPosition != null && envelope.position() > atPosition
                || atTime != null && envelope.timestamp().isAfter(atTime)) {
            return false;
        }
        last = envelope;
        events++;
        String device = logged.event().device();
        if (onlyDevice == null || onlyDevice.equals(device)) {
            devices.compute(device, (id, old) -> (old == null ? DeviceState.EMPTY : old).evolve(logged.event()));
        }
        return true;
    }

    /** Every device's state at the point, in device order. */
    public SortedMap<String, DeviceState> devices() {
        return new TreeMap<>(devices);
    }

    /** The events folded (of every device, as each moves the point along). */
    public long events() {
        return events;
    }

    /** The envelope of the last event at or before the point, if any. */
    public Optional<Envelope> last() {
        return Optional.ofNullable(last);
    }
}
