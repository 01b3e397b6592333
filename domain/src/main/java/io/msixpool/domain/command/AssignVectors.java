package io.msixpool.domain.command;

import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates VF controller {@code vf}, giving it {@code msix} vectors from the free pool. */
public record AssignVectors(@TargetAggregateIdentifier String device, String pf, int vf, int msix, String commandId)
        implements DeviceCommand {
    public AssignVectors {
        Shape.id("device", device);
        Shape.id("pf", pf);
        Shape.commandId(commandId);
    }

    public AssignVectors(String device, String pf, int vf, int msix) {
        this(device, pf, vf, msix, null);
    }

    @Override
    public AssignVectors withCommandId(String id) {
        return new AssignVectors(device, pf, vf, msix, id);
    }
}
