package io.msixpool.domain.event;

import org.axonframework.serialization.Revision;

/** {@code msix} vectors moved from the free pool to VF {@code vf}. */
@Revision("1")
public record VectorsAssigned(String device, String pf, int vf, int msix) implements PfEvent {
}
