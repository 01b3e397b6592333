package io.msixpool.domain.command;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The firmware configuration of one PF; creates the device on first use. Ranges are rules, not shape. */
public record ProvisionPf(@TargetAggregateIdentifier String device, String pf, Emulation emulation, int vfCount, int msixTotal, int vfMinMsix, int vfMaxMsix, String commandId)
        implements DeviceCommand {
    public ProvisionPf {
        Shape.id("device", device);
        Shape.id("pf", pf);
        Shape.required("emulation", emulation);
        Shape.commandId(commandId);
    }

    public ProvisionPf(String device, String pf, Emulation emulation, int vfCount, int msixTotal, int vfMinMsix, int vfMaxMsix) {
        this(device, pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, null);
    }

    @Override
    public ProvisionPf withCommandId(String id) {
        return new ProvisionPf(device, pf, emulation, vfCount, msixTotal, vfMinMsix, vfMaxMsix, id);
    }
}
