package io.msixpool.domain.command;

import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Destroys VF controller {@code vf} and returns its vectors to the free pool. */
public record ReleaseVectors(@TargetAggregateIdentifier String device, String pf, int vf, String commandId)
        implements DeviceCommand {
    public ReleaseVectors {
        Shape.id("device", device);
        Shape.id("pf", pf);
        Shape.commandId(commandId);
    }

    public ReleaseVectors(String device, String pf, int vf) {
        this(device, pf, vf, null);
    }

    @Override
    public ReleaseVectors withCommandId(String id) {
        return new ReleaseVectors(device, pf, vf, id);
    }
}
