package io.msixpool.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * How much a device remembers of the commandIds that recorded events (docs/rules.md, "Retries"):
 * the last {@link #CAPACITY} ids, each with what was kept when it was first recorded, the oldest
 * forgotten first; recording an id again changes nothing. The engine's retry memory
 * ({@link RecentCommands}: id to content digest) and the auditor's (id to the position of its
 * decision) are both this, so the auditor remembers exactly the ids the engine remembers.
 *
 * @param <V> what is kept per id
 */
public final class RecentIds<V> {
    /** The ids a device remembers, per device. */
    public static final int CAPACITY = 10_000;

    private final LinkedHashMap<String, V> byId = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * Remembers {@code value} for {@code id} unless the id is remembered already.
     *
     * @return what was remembered for {@code id} before, or null when it was not (it is now)
     */
    public V remember(String id, V value) {
        return byId.putIfAbsent(id, value);
    }

    /** What is remembered for {@code id}, or null. */
    public V get(String id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }

    /** Every remembered id with its value, oldest first. */
    public void forEach(BiConsumer<String, V> action) {
        byId.forEach(action);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecentIds<?> that && byId.equals(that.byId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(byId);
    }
}
