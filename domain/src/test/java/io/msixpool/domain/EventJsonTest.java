package io.msixpool.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.msixpool.domain.event.*;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each event's JSON is docs/wire.md's, to the letter: a snapshot per event with fixed values. */
class EventJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> snapshots() {
        return Stream.of(
                Arguments.of(new PfProvisioned("bf3-a", "nvme0", Emulation.NVME, 4, 64, 2, 32),
                        "{\"type\":\"PfProvisioned\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"emulation\":\"NVME\","
                                + "\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}"),
                Arguments.of(new DefaultDistributionApplied("bf3-a", "nvme0", 16),
                        "{\"type\":\"DefaultDistributionApplied\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"msixPerVf\":16}"),
                Arguments.of(new PfOpened("bf3-a", "nvme0", true),
                        "{\"type\":\"PfOpened\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"dynamicMsix\":true}"),
                Arguments.of(new PfClosed("bf3-a", "nvme0"),
                        "{\"type\":\"PfClosed\",\"device\":\"bf3-a\",\"pf\":\"nvme0\"}"),
                Arguments.of(new NumVfsChanged("bf3-a", "nvme0", 0, 4),
                        "{\"type\":\"NumVfsChanged\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"from\":0,\"to\":4}"),
                Arguments.of(new VectorsReclaimed("bf3-a", "nvme0", List.of(new ReclaimedVf(0, 16), new ReclaimedVf(3, 8)), 24),
                        "{\"type\":\"VectorsReclaimed\",\"device\":\"bf3-a\",\"pf\":\"nvme0\","
                                + "\"reclaimed\":[{\"vf\":0,\"msix\":16},{\"vf\":3,\"msix\":8}],\"total\":24}"),
                Arguments.of(new VectorsAssigned("bf3-a", "nvme0", 2, 12),
                        "{\"type\":\"VectorsAssigned\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12}"),
                Arguments.of(new VfOpened("bf3-a", "nvme0", 2),
                        "{\"type\":\"VfOpened\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2}"),
                Arguments.of(new VfClosed("bf3-a", "nvme0", 2),
                        "{\"type\":\"VfClosed\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2}"),
                Arguments.of(new VectorsReleased("bf3-a", "nvme0", 2, 12),
                        "{\"type\":\"VectorsReleased\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12}"),
                Arguments.of(new ArmRebooted("bf3-a", ResetKind.COLD_BOOT),
                        "{\"type\":\"ArmRebooted\",\"device\":\"bf3-a\",\"kind\":\"COLD_BOOT\"}"));
    }

    @ParameterizedTest
    @MethodSource("snapshots")
    void eventWritesWireJsonAndReadsBackEqual(DeviceEvent event, String json) throws Exception {
        assertEquals(json, JSON.writeValueAsString(event));
        assertEquals(event, JSON.readValue(json, DeviceEvent.class));
        assertEquals(event, JSON.readValue(json, event.getClass()));
    }
}
