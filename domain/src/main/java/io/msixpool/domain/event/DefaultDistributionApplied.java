package io.msixpool.domain.event;

import org.axonframework.serialization.Revision;

/** Every VF of the PF was linked to {@code msixPerVf} vectors (provisioning or Arm reboot). */
@Revision("1")
public record DefaultDistributionApplied(String device, String pf, int msixPerVf) implements PfEvent {
}
