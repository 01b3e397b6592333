package io.msixpool.projections;

/** Asks for the current pool view of one device; answered with {@code Optional<PoolView>}. */
public record PoolQuery(String device) {
}
