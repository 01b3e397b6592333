package io.msixpool.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.msixpool.domain.command.*;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command round-trips through docs/wire.md's JSON; constructors refuse a wrong shape. */
class CommandJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> snapshots() {
        return Stream.of(
                Arguments.of(new ProvisionPf("bf3-a", "nvme0", Emulation.NVME, 4, 64, 2, 32),
                        "{\"type\":\"ProvisionPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"emulation\":\"NVME\","
                                + "\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}"),
                Arguments.of(new OpenPf("bf3-a", "nvme0", true),
                        "{\"type\":\"OpenPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"dynamicMsix\":true}"),
                Arguments.of(new ClosePf("bf3-a", "nvme0"), "{\"type\":\"ClosePf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\"}"),
                Arguments.of(new SetNumVfs("bf3-a", "nvme0", 4),
                        "{\"type\":\"SetNumVfs\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"numVfs\":4}"),
                Arguments.of(new Reclaim("bf3-a", "nvme0", "req-7"),
                        "{\"type\":\"Reclaim\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"commandId\":\"req-7\"}"),
                Arguments.of(new AssignVectors("bf3-a", "nvme0", 2, 12),
                        "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12}"),
                Arguments.of(new OpenVf("bf3-a", "nvme0", 2), "{\"type\":\"OpenVf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2}"),
                Arguments.of(new ReleaseVectors("bf3-a", "nvme0", 2),
                        "{\"type\":\"ReleaseVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2}"),
                Arguments.of(new CloseVf("bf3-a", "nvme0", 2), "{\"type\":\"CloseVf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2}"),
                Arguments.of(new ArmReset("bf3-a", ResetKind.COLD_BOOT),
                        "{\"type\":\"ArmReset\",\"device\":\"bf3-a\",\"kind\":\"COLD_BOOT\"}"));
    }

    @ParameterizedTest
    @MethodSource("snapshots")
    void commandWritesWireJsonAndReadsBackEqual(DeviceCommand command, String json) throws Exception {
        assertEquals(json, JSON.writeValueAsString(command));
        assertEquals(command, JSON.readValue(json, DeviceCommand.class));
    }

    @Test
    void openPfWithoutDynamicMsixDefaultsToTrue() throws Exception {
        OpenPf read = (OpenPf) JSON.readValue("{\"type\":\"OpenPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\"}",
                DeviceCommand.class);
        assertTrue(read.dynamicMsix());
    }

    @Test
    void constructorsRefuseIdsOutsideTheWirePattern() {
        assertThrows(MalformedCommand.class, () -> new ClosePf("bf3 a", "nvme0"));
        assertThrows(MalformedCommand.class, () -> new ClosePf("bf3-a", "-nvme0"));
        assertThrows(MalformedCommand.class, () -> new ClosePf("bf3-a", "n".repeat(65)));
        assertThrows(MalformedCommand.class, () -> new Reclaim("bf3-a", "nvme0", ""));
        assertThrows(MalformedCommand.class, () -> new Reclaim("bf3-a", "nvme0", "has space"));
        assertThrows(MalformedCommand.class, () -> new Reclaim("bf3-a", "nvme0", "x".repeat(129)));
        assertThrows(MalformedCommand.class, () -> new ArmReset("bf3-a", null));
    }

    @Test
    void longestAllowedIdsAreAccepted() {
        assertEquals(64, new ClosePf("b".repeat(64), "nvme0").device().length());
        assertEquals(128, new Reclaim("bf3-a", "nvme0", "~".repeat(128)).commandId().length());
    }
}
