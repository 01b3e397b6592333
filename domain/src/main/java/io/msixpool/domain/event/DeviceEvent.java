package io.msixpool.domain.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Every decision the Device aggregate records. The JSON {@code type} is the record's simple name
 * (docs/wire.md); Axon stores the class name beside the payload, so moving or renaming a record is a
 * schema change that needs an upcaster.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(PfProvisioned.class), @JsonSubTypes.Type(DefaultDistributionApplied.class),
        @JsonSubTypes.Type(PfOpened.class), @JsonSubTypes.Type(PfClosed.class),
        @JsonSubTypes.Type(NumVfsChanged.class), @JsonSubTypes.Type(VectorsReclaimed.class),
        @JsonSubTypes.Type(VectorsAssigned.class), @JsonSubTypes.Type(VfOpened.class),
        @JsonSubTypes.Type(VfClosed.class), @JsonSubTypes.Type(VectorsReleased.class),
        @JsonSubTypes.Type(ArmRebooted.class)})
public sealed interface DeviceEvent permits PfEvent, ArmRebooted {
    String device();
}
