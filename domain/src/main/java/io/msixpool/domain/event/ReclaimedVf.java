package io.msixpool.domain.event;

/** One entry of {@link VectorsReclaimed}: VF {@code vf} gave back {@code msix} vectors. */
public record ReclaimedVf(int vf, int msix) {
}
