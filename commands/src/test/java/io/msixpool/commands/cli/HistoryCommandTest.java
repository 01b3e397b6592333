package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static io.msixpool.commands.cli.CliRuns.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code msix history}, a real process on a store two actors wrote: who did what to a device, a PF
 * or a VF, with the same sequence, time, actor, commandId and event the export has; unknown
 * device, PF and VF answer with the rules' code and exit 3.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HistoryCommandTest {
    private static final String DEVICE = "bf3-h";
    private static final List<String> BY_ALICE = List.of(
            "{\"type\":\"ProvisionPf\",\"device\":\"bf3-h\",\"pf\":\"nvme0\",\"emulation\":\"NVME\",\"vfCount\":4,"
                    + "\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32,\"commandId\":\"fw-0\"}",  // 0, 1
            "{\"type\":\"ProvisionPf\",\"device\":\"bf3-h\",\"pf\":\"vblk0\",\"emulation\":\"VIRTIO_BLK\",\"vfCount\":2,"
                    + "\"msixTotal\":16,\"vfMinMsix\":2,\"vfMaxMsix\":8,\"commandId\":\"fw-1\"}",  // 2, 3
            "{\"type\":\"ProvisionPf\",\"device\":\"other\",\"pf\":\"nvme0\",\"emulation\":\"NVME\",\"vfCount\":4,"
                    + "\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}",
            "{\"type\":\"OpenPf\",\"device\":\"bf3-h\",\"pf\":\"nvme0\"}",  // 4
            "{\"type\":\"Reclaim\",\"device\":\"bf3-h\",\"pf\":\"nvme0\",\"commandId\":\"reclaim-0\"}",  // 5
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-h\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12,\"commandId\":\"vm-2\"}",  // 6, 7
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-h\",\"pf\":\"nvme0\",\"vf\":1,\"msix\":8,\"commandId\":\"vm-1\"}");  // 8, 9
    private static final List<String> BY_ORCHESTRATOR = List.of(
            "{\"type\":\"ReleaseVectors\",\"device\":\"bf3-h\",\"pf\":\"nvme0\",\"vf\":2,\"commandId\":\"rel-2\"}",  // 10, 11
            "{\"type\":\"ArmReset\",\"device\":\"bf3-h\",\"kind\":\"COLD_BOOT\"}");  // 12, 13 nvme0, 14 vblk0

    private static String store;

    @BeforeAll
    static void twoActorsWrite() {
        store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        apply(BY_ALICE, "ops:alice");
        apply(BY_ORCHESTRATOR, "svc:orchestrator");
    }

    @Test
    void historyListsEveryEventOfTheDeviceInAlignedColumns() {
        List<String> lines = history().lines();
        assertEquals(16, lines.size(), () -> "a header and the device's 15 events: " + lines);
        int event = lines.get(0).indexOf("EVENT");
        assertTrue(lines.get(0).matches("SEQ +TIMESTAMP +ACTOR +COMMAND ID +EVENT"), lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.matches(" *" + (i - 1) + "  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z  .*"),
                    "sequence then time with milliseconds: " + line);
            assertTrue(line.length() > event && line.charAt(event - 1) == ' ' && line.charAt(event) != ' ',
                    "the EVENT column starts under its header: " + line);
        }
        assertTrue(lines.get(7).matches(" *6  \\S+  ops:alice +vm-2 +VectorsAssigned nvme0 vf 2 msix 12"), lines.get(7));
        assertTrue(lines.get(13).matches(" *12  \\S+  svc:orchestrator +- +ArmRebooted COLD_BOOT"), lines.get(13));
    }

    @Test
    void jsonHistoryAgreesWithTheExportedLogOfThatDevice() {
        List<ObjectNode> exported = CliRuns.export(store).stream()
                .filter(line -> line.get("device").asText().equals(DEVICE)).toList();
        List<ObjectNode> history = history("--json").lines().stream().map(CliRuns::object).toList();
        assertEquals(exported.size(), history.size());
        for (int i = 0; i < history.size(); i++) {
            ObjectNode entry = history.get(i);
            ObjectNode envelope = (ObjectNode) exported.get(i).get("envelope");
            String where = "history " + entry + " vs export " + exported.get(i);
            assertEquals(envelope.get("sequence"), entry.get("sequence"), where);
            assertEquals(envelope.get("timestamp"), entry.get("timestamp"), where);
            assertEquals(envelope.get("actor"), entry.get("actor"), where);
            assertEquals(envelope.get("commandId"), entry.get("commandId"), where);
            assertEquals(CliRuns.withoutEnvelope(exported.get(i)), entry.get("event"), where);
        }
    }

    @Test
    void aPfsHistoryHasItsEventsAndTheDevicesArmReboots() {
        assertEquals(List.of(2L, 3L, 12L, 14L), sequences(history("--pf", "vblk0", "--json")));
    }

    @Test
    void aVfsHistoryHasTheEventsThatChangedItsVectorsOrItsController() {
        // VF 2: provisioned, default, reclaimed, assigned, opened, closed, released; the reboot finds it
        // closed and unlinked (no change), the default after it links it again.
        assertEquals(List.of(0L, 1L, 5L, 6L, 7L, 10L, 11L, 13L), sequences(history("--pf", "nvme0", "--vf", "2", "--json")));
        // VF 1 is still open at the reboot, which closes it.
        assertEquals(List.of(0L, 1L, 5L, 8L, 9L, 12L, 13L), sequences(history("--pf", "nvme0", "--vf", "1", "--json")));
    }

    @Test
    void anUnknownDevicePfOrVfAnswersWithItsCodeAndExits3() {
        assertUnknown(historyOf("nope"), "UNKNOWN_DEVICE");
        assertUnknown(historyOf(DEVICE, "--pf", "nvme9"), "UNKNOWN_PF");
        assertUnknown(historyOf(DEVICE, "--pf", "vblk0", "--vf", "2"), "UNKNOWN_VF");

        MsixProcess.Result noPf = historyOf(DEVICE, "--vf", "1");
        assertEquals(2, noPf.exitCode(), () -> describe(noPf));
        assertTrue(noPf.err().contains("--vf needs --pf"), () -> describe(noPf));
    }

    private static void assertUnknown(MsixProcess.Result result, String code) {
        assertEquals(3, result.exitCode(), () -> describe(result));
        assertEquals(1, result.lines().size(), () -> describe(result));
        ObjectNode answer = object(result.lines().get(0));
        assertEquals(false, answer.get("ok").asBoolean(true), answer::toString);
        assertEquals(code, answer.get("code").asText(), answer::toString);
        assertTrue(answer.path("message").isTextual(), answer::toString);
    }

    /** {@code msix history --store S --device bf3-h ARGS}, which must exit 0. */
    private static MsixProcess.Result history(String... args) {
        MsixProcess.Result result = historyOf(DEVICE, args);
        assertEquals(0, result.exitCode(), () -> "history " + String.join(" ", args) + ": " + describe(result));
        return result;
    }

    private static MsixProcess.Result historyOf(String device, String... args) {
        List<String> call = new ArrayList<>(List.of("history", "--store", store, "--device", device));
        call.addAll(List.of(args));
        return MsixProcess.run("", call.toArray(String[]::new));
    }

    private static List<Long> sequences(MsixProcess.Result result) {
        return result.lines().stream().map(line -> object(line).get("sequence").asLong()).toList();
    }

    private static void apply(List<String> commands, String actor) {
        MsixProcess.Result result = MsixProcess.run(String.join("\n", commands) + "\n", "apply", "--store", store, "--actor", actor);
        assertEquals(0, result.exitCode(), () -> describe(result));
        for (String line : result.lines()) {
            assertTrue(object(line).get("ok").asBoolean(), () -> "every command is accepted: " + describe(result));
        }
    }
}
