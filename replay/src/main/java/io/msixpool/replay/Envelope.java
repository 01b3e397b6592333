package io.msixpool.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Where and how an event was recorded (docs/event-log.md): its global position in the store, its
 * sequence in the device's stream, when, which command id (null when the client sent none) and
 * which actor caused it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Envelope(long position, long sequence, Instant timestamp, String commandId, String actor) {
}
