package io.msixpool.domain.event;

import org.axonframework.serialization.Revision;

/** VF controller {@code vf} was destroyed; its link stays unless VectorsReleased follows. */
@Revision("1")
public record VfClosed(String device, String pf, int vf) implements PfEvent {
}
