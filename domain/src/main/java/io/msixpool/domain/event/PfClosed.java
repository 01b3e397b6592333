package io.msixpool.domain.event;

import org.axonframework.serialization.Revision;

/** The PF controller was closed; links are untouched and dynamic MSI-X ends. */
@Revision("1")
public record PfClosed(String device, String pf) implements PfEvent {
}
