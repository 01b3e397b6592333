package io.msixpool.domain.event;

import org.axonframework.serialization.Revision;

/** The PF controller was opened, with or without dynamic MSI-X; links are untouched. */
@Revision("1")
public record PfOpened(String device, String pf, boolean dynamicMsix) implements PfEvent {
}
