package io.msixpool.domain.command;

import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Opens the PF controller. {@code dynamicMsix} is optional on the wire and defaults to true, so the
 * field is a wrapper that the constructor never leaves null: a retry that spells the default out is
 * the same content as one that omits it.
 */
public record OpenPf(@TargetAggregateIdentifier String device, String pf, Boolean dynamicMsix, String commandId)
        implements DeviceCommand {
    public OpenPf {
        Shape.id("device", device);
        Shape.id("pf", pf);
        if (dynamicMsix == null) {
            dynamicMsix = true;
        }
        Shape.commandId(commandId);
    }

    public OpenPf(String device, String pf, boolean dynamicMsix) {
        this(device, pf, dynamicMsix, null);
    }

    public OpenPf(String device, String pf) {
        this(device, pf, true, null);
    }

    @Override
    public OpenPf withCommandId(String id) {
        return new OpenPf(device, pf, dynamicMsix, id);
    }
}
