package io.msixpool.domain.event;

import org.axonframework.serialization.Revision;

/** VF controller {@code vf} was created. */
@Revision("1")
public record VfOpened(String device, String pf, int vf) implements PfEvent {
}
