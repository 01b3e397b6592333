package io.msixpool.domain.event;

import org.axonframework.serialization.Revision;

/** The host changed {@code sriov_numvfs}. */
@Revision("1")
public record NumVfsChanged(String device, String pf, int from, int to) implements PfEvent {
}
