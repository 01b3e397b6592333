package io.msixpool.replay;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.msixpool.domain.Shape;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where and how an event was recorded (docs/event-log.md): its global position in the store, its
 * sequence in the device's stream, when (always written with exactly three fraction digits, the
 * store's precision, so the chain hashes the same text that is exported), which command id (null
 * when the client sent none), which actor caused it, the revision of the event's JSON it was stored
 * in, and the two links of the tamper-evident chain: {@code prev}, the hash of the device's previous
 * event, and {@code hash}, this event's own.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Envelope(
        long position,
        long sequence,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = Envelope.TIMESTAMP_PATTERN, timezone = "UTC")
        Instant timestamp,
        String commandId,
        String actor,
        String revision,
        String prev,
        String hash) {

    /**
     * How a timestamp is written, in UTC: {@code 2026-11-22T03:12:07.118Z}, always with exactly three
     * fraction digits, the store's precision (docs/event-log.md, "The envelope").
     */
    public static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSX";
    /** {@link #TIMESTAMP_PATTERN} as a formatter, for text that shows a timestamp as the log writes it. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern(TIMESTAMP_PATTERN).withZone(ZoneOffset.UTC);

    /** The longest actor name (docs/event-log.md, "Actor names"). */
    public static final int ACTOR_MAX_LENGTH = 64;

    /**
     * True for a name that may be recorded as an actor: 1 to {@value #ACTOR_MAX_LENGTH} printable
     * ASCII characters other than space (0x21..0x7E), so that every string of a line is printable
     * ASCII, which the chain's canonical form relies on (docs/event-log.md, "Actor names").
     */
    public static boolean isActorName(String name) {
        return !name.isEmpty() && name.length() <= ACTOR_MAX_LENGTH && Shape.printable(name);
    }

    /**
     * {@code text} as an actor name: every character (code point) outside 0x21..0x7E replaced by
     * {@code _}, cut to {@value #ACTOR_MAX_LENGTH} characters.
     */
    public static String actorNameOf(String text) {
        StringBuilder name = new StringBuilder();
        text.codePoints().forEach(ch -> name.append(Shape.printableChar(ch) ? (char) ch : '_'));
        return name.length() > ACTOR_MAX_LENGTH ? name.substring(0, ACTOR_MAX_LENGTH) : name.toString();
    }

    /** The same envelope carrying its chain links. */
    public Envelope chained(String prev, String hash) {
        return new Envelope(position, sequence, timestamp, commandId, actor, revision, prev, hash);
    }

    /** The same envelope naming another revision: what a reader sees once it upcast the event. */
    public Envelope inRevision(String newRevision) {
        return new Envelope(position, sequence, timestamp, commandId, actor, newRevision, prev, hash);
    }
}
