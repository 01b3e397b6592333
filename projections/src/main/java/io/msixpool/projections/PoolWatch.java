package io.msixpool.projections;

/**
 * Watches one device's pool: answered with {@code Optional<PoolAt>}, and as a subscription query
 * updated with a {@link PoolAt} after every batch of events that changed the device.
 */
public record PoolWatch(String device) {
}
