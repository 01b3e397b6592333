package io.msixpool.commands.wire;

import static io.msixpool.commands.support.Messages.assertInTheTextsTerms;
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
        assertInTheTextsTerms(bad.getMessage());
    }

    @ParameterizedTest(name = "<{0}>: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json|malformed JSON at column 1: 'not' where a value (a string, number, object, array, true, false"
                    + " or null) should be",
            "{\"type\":\"OpenPf\"|malformed JSON: the text ends before the value does (an object, array or string"
                    + " is not closed)",
            "{\"type\" \"OpenPf\"}|malformed JSON at column 9: unexpected '\"': expected a colon between a field"
                    + " name and its value",
            "{'type':'OpenPf'}|malformed JSON at column 2: unexpected ''': expected a field name in double quotes",
            "{\"type\":\"OpenPf\",}|malformed JSON at column 18: unexpected '}': expected a field name in double quotes",
            "{\"type\":\"OpenPf\" \"pf\":1}|malformed JSON at column 18: unexpected '\"': expected a comma between"
                    + " object entries",
            "{\"vf\":NaN}|malformed JSON at column 7: 'NaN' is not a JSON number",
            "{\"vf\":01}|malformed JSON at column 8: an invalid number: leading zeroes not allowed",
            "{\"pf\":\"a\\qb\"}|malformed JSON at column 10: unknown escape \\q in a string",
            "{\"type\":\"OpenPf\"/*x*/}|malformed JSON at column 17: unexpected '/': JSON has no comments",
            "{\"msix\":12,\"msix\":13}|malformed JSON at column 18: the field \"msix\" appears twice",
            "{\"type\":\"OpenPf\"} {}|more than one JSON value: text follows the first at column 19"})
    void malformedJsonIsSaidInTheTextsTerms(String text, String message) {
        assertEquals(message, assertThrows(BadRequest.class, () -> reader.read(text)).getMessage());
    }

    @Test
    void aControlCharacterOrANestingTooDeepIsNamed() {
        assertEquals("malformed JSON at line 2 column 3: control character U+0009 (tab) inside a string: write it as"
                        + " an escape such as \\n",
                assertThrows(BadRequest.class, () -> reader.read("{\"pf\":\n\"a\tb\"}")).getMessage());
        String deep = "{\"type\":\"OpenPf\",\"x\":" + "[".repeat(1001) + "]".repeat(1001) + "}";
        assertEquals("nested deeper than 1000 levels of objects and arrays",
                assertThrows(BadRequest.class, () -> reader.read(deep)).getMessage());
        String longNumber = "{\"type\":\"AssignVectors\",\"vf\":" + "9".repeat(1001) + "}";
        assertEquals("a number longer than 1000 digits",
                assertThrows(BadRequest.class, () -> reader.read(longNumber)).getMessage());
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
