package io.msixpool.projections.fleet;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Comparator;

/**
 * A PF of the fleet, ordered by device, then PF (each by {@code String.compareTo}, the order of
 * docs/wire.md); written {@code device/pf}, which is unambiguous because ids never hold a slash.
 */
public record PfKey(String device, String pf) implements Comparable<PfKey> {
    private static final Comparator<PfKey> ORDER = Comparator.comparing(PfKey::device).thenComparing(PfKey::pf);

    /** {@code device/pf} as {@link #toString} writes it, or null when the text has no single slash. */
    public static PfKey parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return null;
        }
        return new PfKey(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(PfKey other) {
        return ORDER.compare(this, other);
    }

    @JsonValue
    @Override
    public String toString() {
        return device + "/" + pf;
    }
}
