package io.msixpool.domain.event;

import io.msixpool.domain.Emulation;
import org.axonframework.serialization.Revision;

/** A PF's firmware configuration was recorded; its VFs start unlinked until the default is applied. */
@Revision("1")
public record PfProvisioned(String device, String pf, Emulation emulation, int vfCount, int msixTotal, int vfMinMsix, int vfMaxMsix) implements PfEvent {
}
