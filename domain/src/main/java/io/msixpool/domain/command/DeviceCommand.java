package io.msixpool.domain.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A command to one device's aggregate. The JSON {@code type} is the record's simple name, exactly
 * the command names of docs/rules.md; {@code commandId} is optional and omitted when absent.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ProvisionPf.class), @JsonSubTypes.Type(OpenPf.class),
        @JsonSubTypes.Type(ClosePf.class), @JsonSubTypes.Type(SetNumVfs.class),
        @JsonSubTypes.Type(Reclaim.class), @JsonSubTypes.Type(AssignVectors.class),
        @JsonSubTypes.Type(OpenVf.class), @JsonSubTypes.Type(ReleaseVectors.class),
        @JsonSubTypes.Type(CloseVf.class), @JsonSubTypes.Type(ArmReset.class)})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface DeviceCommand
        permits ProvisionPf, OpenPf, ClosePf, SetNumVfs, Reclaim, AssignVectors, OpenVf, ReleaseVectors,
        CloseVf, ArmReset {

    String device();

    /** The client's retry key (docs/rules.md "Retries"), or null. */
    String commandId();

    /** The same command with another retry key (null for none). */
    DeviceCommand withCommandId(String commandId);

    /** The same command without its retry key: what the duplicate check compares. */
    default DeviceCommand withoutCommandId() {
        return withCommandId(null);
    }
}
