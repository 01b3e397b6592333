package io.msixpool.domain.command;

import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Destroys VF controller {@code vf}, keeping its link. */
public record CloseVf(@TargetAggregateIdentifier String device, String pf, int vf, String commandId)
        implements DeviceCommand {
    public CloseVf {
        Shape.id("device", device);
        Shape.id("pf", pf);
        Shape.commandId(commandId);
    }

    public CloseVf(String device, String pf, int vf) {
        this(device, pf, vf, null);
    }

    @Override
    public CloseVf withCommandId(String id) {
        return new CloseVf(device, pf, vf, id);
    }
}
