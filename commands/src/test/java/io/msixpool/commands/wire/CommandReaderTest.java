package io.msixpool.commands.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/wire.md's shape check: every BAD_REQUEST case it lists, and what must still pass. */
class CommandReaderTest {
    private final CommandReader reader = new CommandReader();

    @Test
    void readsEveryExampleOfWireMd() throws BadRequest {
        assertEquals(new ProvisionPf("bf3-a", "nvme0", Emulation.NVME, 4, 64, 2, 32), reader.read(
                "{\"type\":\"ProvisionPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"emulation\":\"NVME\",\"vfCount\":4,"
                        + "\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}"));
        assertEquals(new Reclaim("bf3-a", "nvme0", "req-7"),
                reader.read("{\"type\":\"Reclaim\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"commandId\":\"req-7\"}"));
        assertEquals(new AssignVectors("bf3-a", "nvme0", 2, 12),
                reader.read("{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12}"));
    }

    @Test
    void dynamicMsixMayBeOmittedAndDefaultsToTrue() throws BadRequest {
        assertEquals(new OpenPf("bf3-a", "nvme0", true),
                reader.read("{\"type\":\"OpenPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\"}"));
    }

    @Test
    void outOfRangeNumbersAreRulesNotShape() throws BadRequest {
        assertEquals(new AssignVectors("bf3-a", "nvme0", -1, 100000),
                reader.read("{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":-1,\"msix\":100000}"));
    }

    @ParameterizedTest(name = "[{index}] <{0}>")
    @ValueSource(strings = {
            "", "not json", "[]", "42", "\"OpenPf\"", "null",
            "{\"device\":\"bf3-a\",\"pf\":\"nvme0\"}",
            "{\"type\":\"Explode\",\"device\":\"bf3-a\"}",
            "{\"type\":7,\"device\":\"bf3-a\"}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msx\":12}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":8.5}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":\"8\"}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":1e3}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":2147483648}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":null}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12,\"msix\":13}",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12} {}",
            "{\"type\":\"ClosePf\",\"device\":\"bf3 a\",\"pf\":\"nvme0\"}",
            "{\"type\":\"ClosePf\",\"device\":\"-bf3\",\"pf\":\"nvme0\"}",
            "{\"type\":\"ClosePf\",\"device\":\"bf3-a\",\"pf\":\"\"}",
            "{\"type\":\"ClosePf\",\"device\":\"bf3-a\",\"pf\":\"nvme0/1\"}",
            "{\"type\":\"ClosePf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"commandId\":\"\"}",
            "{\"type\":\"ClosePf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"commandId\":\"has space\"}",
            "{\"type\":\"ClosePf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"commandId\":\"caf\u00e9\"}",
            "{\"type\":\"ClosePf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"commandId\":7}",
            "{\"type\":\"ProvisionPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"emulation\":\"SCSI\",\"vfCount\":4,"
                    + "\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}",
            "{\"type\":\"ArmReset\",\"device\":\"bf3-a\",\"kind\":\"WARM\"}",
            "{\"type\":\"OpenPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"dynamicMsix\":\"true\"}",
            "{\"type\":\"OpenPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"dynamicMsix\":1}",
            "{\"type\":\"OpenPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"dynamicMsix\":null}"})
    void malformedTextIsABadRequest(String text) {
        BadRequest bad = assertThrows(BadRequest.class, () -> reader.read(text));
        assertTrue(bad.getMessage() != null && !bad.getMessage().isBlank());
    }

    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msx\":12}|msx",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2}|msix",
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":8.5}|msix",
            "{\"type\":\"ClosePf\",\"device\":\"bf3 a\",\"pf\":\"nvme0\"}|device",
            "{\"type\":\"ArmReset\",\"device\":\"bf3-a\",\"kind\":\"WARM\"}|kind"})
    void theMessageNamesTheProblem(String text, String field) {
        BadRequest bad = assertThrows(BadRequest.class, () -> reader.read(text));
        assertTrue(bad.getMessage().contains(field), bad.getMessage());
    }
}
