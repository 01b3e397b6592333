package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code msix fleet} and {@code msix place} as real processes on both stores: the summaries of
 * every PF in (device, pf) order, filtered and paged as GET /v1/pools does, a table, and placements
 * best fit first whose commands {@code msix apply} accepts; bad options are usage errors (exit 2).
 */
class FleetCliTest {
    private static final String SETUP = String.join("\n",
            provision("cli-b", "nvme0", "NVME", 4, 64), open("cli-b", "nvme0"), reclaim("cli-b", "nvme0"),
            provision("cli-a", "nvme0", "NVME", 2, 64), open("cli-a", "nvme0"), reclaim("cli-a", "nvme0"),
            provision("cli-a", "vblk0", "VIRTIO_BLK", 4, 64)) + "\n";

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void theFleetAndItsPlacementsFromTheCommandLine(TestStores.Kind kind) {
        String store = TestStores.fresh(kind);
        assertEquals(0, MsixProcess.run(SETUP, "apply", "--store", store).exitCode());

        ObjectNode all = json(MsixProcess.run("", "fleet", "--store", store));
        assertEquals(List.of("cli-a/nvme0", "cli-a/vblk0", "cli-b/nvme0"), keys(all.path("pools")));
        assertTrue(!all.has("next"), all::toString);
        JsonNode b = all.path("pools").get(2);
        assertEquals(64, b.path("msixFree").asInt());
        assertEquals(0, b.path("msixStranded").asInt());
        assertEquals(List.of("cli-a/vblk0"), keys(json(MsixProcess.run("", "fleet", "--store", store,
                "--emulation", "VIRTIO_BLK")).path("pools")));
        assertEquals(List.of("cli-a/nvme0", "cli-b/nvme0"), keys(json(MsixProcess.run("", "fleet", "--store", store,
                "--min-free", "1", "--open", "true")).path("pools")));
        ObjectNode first = json(MsixProcess.run("", "fleet", "--store", store, "--limit", "2"));
        assertEquals("cli-a/vblk0", first.path("next").asText());
        assertEquals(List.of("cli-b/nvme0"), keys(json(MsixProcess.run("", "fleet", "--store", store,
                "--after", first.path("next").asText())).path("pools")));

        MsixProcess.Result table = MsixProcess.run("", "fleet", "--store", store, "--table");
        assertEquals(0, table.exitCode(), () -> CliRuns.describe(table));
        assertTrue(table.out().contains("cli-a") && table.out().contains("VIRTIO_BLK") && table.out().contains("3 PFs"),
                table::out);

        ObjectNode placed = json(MsixProcess.run("", "place", "--store", store, "--msix", "16"));
        assertEquals(List.of("cli-a/nvme0", "cli-b/nvme0"), keys(placed.path("placements")),
                "equal free pools: (device, pf) order");
        String command = placed.path("placements").get(0).path("command").toString();
        MsixProcess.Result applied = MsixProcess.run(command + "\n", "apply", "--store", store);
        assertTrue(CliRuns.object(CliRuns.nonBlank(applied.lines()).get(0)).path("ok").asBoolean(), applied::out);
        ObjectNode after = json(MsixProcess.run("", "place", "--store", store, "--msix", "16", "--emulation", "NVME"));
        assertEquals(List.of("cli-a/nvme0", "cli-b/nvme0"), keys(after.path("placements")));
        assertEquals(1, after.path("placements").get(0).path("vf").asInt(), "VF 0 of cli-a/nvme0 holds vectors now");
        assertEquals(48, after.path("placements").get(0).path("msixFree").asInt());

        for (List<String> bad : List.of(List.of("fleet", "--limit", "0"), List.of("fleet", "--after", "nope"),
                List.of("fleet", "--emulation", "SCSI"), List.of("fleet", "--open", "maybe"), List.of("place"),
                List.of("place", "--msix", "0"))) {
            List<String> args = new ArrayList<>(bad);
            args.addAll(List.of("--store", store));
            MsixProcess.Result result = MsixProcess.run("", args.toArray(String[]::new));
            assertEquals(2, result.exitCode(), () -> bad + ": " + CliRuns.describe(result));
        }
    }

    private static ObjectNode json(MsixProcess.Result result) {
        assertEquals(0, result.exitCode(), () -> CliRuns.describe(result));
        List<String> lines = CliRuns.nonBlank(result.lines());
        assertEquals(1, lines.size(), result::out);
        return CliRuns.object(lines.get(0));
    }

    private static List<String> keys(JsonNode list) {
        List<String> keys = new ArrayList<>();
        list.forEach(item -> keys.add(item.path("device").asText() + "/" + item.path("pf").asText()));
        return keys;
    }

    private static String provision(String device, String pf, String emulation, int vfCount, int msixTotal) {
        return "{\"type\":\"ProvisionPf\",\"device\":\"" + device + "\",\"pf\":\"" + pf + "\",\"emulation\":\"" + emulation
                + "\",\"vfCount\":" + vfCount + ",\"msixTotal\":" + msixTotal + ",\"vfMinMsix\":2,\"vfMaxMsix\":32}";
    }

    private static String open(String device, String pf) {
        return "{\"type\":\"OpenPf\",\"device\":\"" + device + "\",\"pf\":\"" + pf + "\"}";
    }

    private static String reclaim(String device, String pf) {
        return "{\"type\":\"Reclaim\",\"device\":\"" + device + "\",\"pf\":\"" + pf + "\"}";
    }
}
