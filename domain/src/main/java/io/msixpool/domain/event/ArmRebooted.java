package io.msixpool.domain.event;

import io.msixpool.domain.ResetKind;
import org.axonframework.serialization.Revision;

/** The Arm complex rebooted: every PF and VF closed, SR-IOV off; DefaultDistributionApplied follows per PF. */
@Revision("1")
public record ArmRebooted(String device, ResetKind kind) implements DeviceEvent {
}
