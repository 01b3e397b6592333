package io.msixpool.commands.engine;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.replay.Upcasters;

/**
 * The payload type the store holds for an event: its class's full name, as Axon's serializer names
 * it. One definition for everything that writes the type (msix import) or reads it back as
 * {@link Upcasters} names events (the upcaster chain, the benchmark's raw scan).
 */
public final class StoredTypes {
    private static final String EVENT_PACKAGE = DeviceEvent.class.getPackageName() + ".";

    private StoredTypes() {
    }

    /** The stored payload type of an event. */
    public static String of(DeviceEvent event) {
        return event.getClass().getName();
    }

    /** The event type (the record's simple name) a stored payload type names, or null when it is not a device event. */
    public static String eventType(String storedType) {
        if (!storedType.startsWith(EVENT_PACKAGE)) {
            return null;
        }
        String type = storedType.substring(EVENT_PACKAGE.length());
        return Upcasters.currentRevision(type) == null ? null : type;
    }
}
