package io.msixpool.domain.command;

import io.msixpool.domain.ResetKind;
import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The device's Arm complex rebooted: every PF returns to the even default. */
public record ArmReset(@TargetAggregateIdentifier String device, ResetKind kind, String commandId)
        implements DeviceCommand {
    public ArmReset {
        Shape.id("device", device);
        Shape.required("kind", kind);
        Shape.commandId(commandId);
    }

    public ArmReset(String device, ResetKind kind) {
        this(device, kind, null);
    }

    @Override
    public ArmReset withCommandId(String id) {
        return new ArmReset(device, kind, id);
    }
}
