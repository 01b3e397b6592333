package io.msixpool.domain.command;

import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ClosePf(@TargetAggregateIdentifier String device, String pf, String commandId)
        implements DeviceCommand {
    public ClosePf {
        Shape.id("device", device);
        Shape.id("pf", pf);
        Shape.commandId(commandId);
    }

    public ClosePf(String device, String pf) {
        this(device, pf, null);
    }

    @Override
    public ClosePf withCommandId(String id) {
        return new ClosePf(device, pf, id);
    }
}
