package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code msix apply --dry-run}: each line decided against what the lines before it left, each
 * result exactly what a real apply of the same lines answers plus {@code "dryRun":true}, and the
 * store left as it was.
 */
class DryRunCliTest {
    private static final String PROVISION = "{\"type\":\"ProvisionPf\",\"device\":\"plan\",\"pf\":\"nvme0\",\"emulation\":\"NVME\","
            + "\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32,\"commandId\":\"p1\"}";
    private static final List<String> PLAN = List.of(
            "{\"type\":\"OpenPf\",\"device\":\"plan\",\"pf\":\"nvme0\",\"commandId\":\"o1\"}",
            "{\"type\":\"Reclaim\",\"device\":\"plan\",\"pf\":\"nvme0\"}",
            "{\"type\":\"AssignVectors\",\"device\":\"plan\",\"pf\":\"nvme0\",\"vf\":0,\"msix\":20}",
            "{\"type\":\"AssignVectors\",\"device\":\"plan\",\"pf\":\"nvme0\",\"vf\":1,\"msix\":30}",
            // 14 vectors left after the two lines before: refused only if they were taken into account
            "{\"type\":\"AssignVectors\",\"device\":\"plan\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":20}",
            "not json",
            "{\"type\":\"OpenPf\",\"device\":\"plan\",\"pf\":\"nvme0\",\"commandId\":\"o1\"}",
            PROVISION);

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aDryRunOfASequenceAnswersAsTheRealRunWouldAndLeavesTheStoreAsItWas(TestStores.Kind kind) {
        String store = TestStores.fresh(kind);
        String tried = TestStores.fresh(kind);
        for (String copy : List.of(store, tried)) {
            assertEquals(0, MsixProcess.run(PROVISION + "\n", "apply", "--store", copy).exitCode());
        }
        List<ObjectNode> before = CliRuns.export(tried);

        MsixProcess.Result dry = MsixProcess.run(String.join("\n", PLAN) + "\n", "apply", "--dry-run", "--store", tried);
        assertEquals(0, dry.exitCode(), () -> CliRuns.describe(dry));
        MsixProcess.Result real = MsixProcess.run(String.join("\n", PLAN) + "\n", "apply", "--store", store);
        assertEquals(0, real.exitCode(), () -> CliRuns.describe(real));

        List<String> dryLines = CliRuns.nonBlank(dry.lines());
        List<String> realLines = CliRuns.nonBlank(real.lines());
        assertEquals(PLAN.size(), dryLines.size(), dry::out);
        for (int i = 0; i < PLAN.size(); i++) {
            ObjectNode expected = CliRuns.object(realLines.get(i)).put("dryRun", true);
            assertEquals(expected, CliRuns.object(dryLines.get(i)), "line " + (i + 1) + ": " + PLAN.get(i));
        }
        assertEquals(false, CliRuns.object(dryLines.get(4)).path("ok").asBoolean(true),
                "the third assignment is tried after the first two took their vectors: " + dryLines.get(4));
        assertEquals(before, CliRuns.export(tried), "a dry run leaves the store as it was");
    }
}
