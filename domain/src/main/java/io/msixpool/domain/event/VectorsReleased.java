package io.msixpool.domain.event;

import org.axonframework.serialization.Revision;

/** VF {@code vf}'s {@code msix} vectors went back to the free pool. */
@Revision("1")
public record VectorsReleased(String device, String pf, int vf, int msix) implements PfEvent {
}
