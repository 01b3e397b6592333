package io.msixpool.domain.command;

import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves every VF's vectors into the PF's free pool (dynamic MSI-X). */
public record Reclaim(@TargetAggregateIdentifier String device, String pf, String commandId)
        implements DeviceCommand {
    public Reclaim {
        Shape.id("device", device);
        Shape.id("pf", pf);
        Shape.commandId(commandId);
    }

    public Reclaim(String device, String pf) {
        this(device, pf, null);
    }

    @Override
    public Reclaim withCommandId(String id) {
        return new Reclaim(device, pf, id);
    }
}
