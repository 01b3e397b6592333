package io.msixpool.domain;

import io.msixpool.domain.event.DeviceEvent;
import java.util.List;

/** What an accepted command did: the events it recorded, or nothing because it was a duplicate. */
public record Decision(boolean duplicate, List<DeviceEvent> events) {
    public static final Decision DUPLICATE = new Decision(true, List.of());

    public Decision {
        events = List.copyOf(events);
    }

    public static Decision accepted(List<DeviceEvent> events) {
        return new Decision(false, events);
    }
}
