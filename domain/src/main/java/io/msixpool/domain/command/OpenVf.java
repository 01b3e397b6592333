package io.msixpool.domain.command;

import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates VF controller {@code vf} on the vectors it is already linked to. */
public record OpenVf(@TargetAggregateIdentifier String device, String pf, int vf, String commandId)
        implements DeviceCommand {
    public OpenVf {
        Shape.id("device", device);
        Shape.id("pf", pf);
        Shape.commandId(commandId);
    }

    public OpenVf(String device, String pf, int vf) {
        this(device, pf, vf, null);
    }

    @Override
    public OpenVf withCommandId(String id) {
        return new OpenVf(device, pf, vf, id);
    }
}
