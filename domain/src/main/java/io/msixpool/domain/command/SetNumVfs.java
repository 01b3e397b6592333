package io.msixpool.domain.command;

import io.msixpool.domain.Shape;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The host wrote {@code sriov_numvfs}: SR-IOV enabled (numVfs > 0) or disabled (0). */
public record SetNumVfs(@TargetAggregateIdentifier String device, String pf, int numVfs, String commandId)
        implements DeviceCommand {
    public SetNumVfs {
        Shape.id("device", device);
        Shape.id("pf", pf);
        Shape.commandId(commandId);
    }

    public SetNumVfs(String device, String pf, int numVfs) {
        this(device, pf, numVfs, null);
    }

    @Override
    public SetNumVfs withCommandId(String id) {
        return new SetNumVfs(device, pf, numVfs, id);
    }
}
