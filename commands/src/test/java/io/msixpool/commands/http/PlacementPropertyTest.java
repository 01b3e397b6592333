package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.OPERATOR_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.TestStores;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, item 4, over random fleets (seeded workloads of cards coming up and VMs coming and
 * going, on a real bus): every candidate of {@code GET /v1/placements}, dry-run, is accepted; an
 * unlimited answer names every PF where some VF's AssignVectors would be accepted (each PF's VFs
 * tried by dry runs), in the documented best-fit order; and the answer changes as soon as the pool
 * does: after the first candidate's command, the very next answer no longer offers that VF.
 */
class PlacementPropertyTest {
    private static final WorkloadShape SHAPE = new WorkloadShape(3, 4, 8, 0.05, 0.05);
    private static final int[] SIZES = {2, 3, 8, 16, 33, 64};

    static Stream<Arguments> fleets() {
        return Stream.of(Arguments.of(TestStores.Kind.EMBEDDED, 1L), Arguments.of(TestStores.Kind.EMBEDDED, 2L),
                Arguments.of(TestStores.Kind.EMBEDDED, 3L), Arguments.of(TestStores.Kind.EMBEDDED, 4L),
                Arguments.of(TestStores.Kind.POSTGRES, 5L), Arguments.of(TestStores.Kind.POSTGRES, 6L));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("fleets")
    void placementsAreAcceptedCompleteRankedAndCurrent(TestStores.Kind kind, long seed) {
        Random random = new Random(seed);
        Workload workload = new Workload(seed, SHAPE, "pp");
        try (BusFixture bus = BusFixture.start(kind)) {
            for (int round = 0; round < 6; round++) {
                List<DeviceCommand> commands = new ArrayList<>();
                for (int i = 0; i < 40 + random.nextInt(60); i++) {
                    commands.add(workload.next());
                }
                bus.engine.decideInGroups(commands, "property", outcomes -> { });
                int msix = SIZES[random.nextInt(SIZES.length)];
                String emulation = List.of("", "&emulation=NVME", "&emulation=VIRTIO_BLK").get(random.nextInt(3));
                check(bus, msix, emulation, "seed " + seed + " round " + round + " msix " + msix + emulation);
            }
        }
    }

    private static void check(BusFixture bus, int msix, String emulation, String where) {
        JsonNode placements = get(bus, "/v1/placements?limit=1000000&msix=" + msix + emulation).path("placements");
        for (JsonNode placement : placements) {
            HttpResponse<String> tried = dryRun(bus, placement.path("command").toString());
            assertEquals(200, tried.statusCode(), () -> where + ": " + placement + " -> " + tried.body());
            assertEquals(BusFixture.object(BusFixture.assign(placement.path("device").asText(), placement.path("pf").asText(),
                    placement.path("vf").asInt(), msix)), placement.path("command"), where);
        }

        Set<String> offered = new LinkedHashSet<>(FleetHttpTest.keys(placements));
        assertEquals(placements.size(), offered.size(), () -> where + ": one candidate per PF: " + placements);
        List<JsonNode> accepting = new ArrayList<>();
        for (JsonNode pf : get(bus, "/v1/pools?limit=1000").path("pools")) {
            if (!emulation.isEmpty() && !emulation.endsWith("=" + pf.path("emulation").asText())) {
                continue;
            }
            String device = pf.path("device").asText();
            int vfCount = vfCount(bus, device, pf.path("pf").asText());
            for (int vf = 0; vf < vfCount; vf++) {
                if (dryRun(bus, BusFixture.assign(device, pf.path("pf").asText(), vf, msix)).statusCode() == 200) {
                    accepting.add(pf);
                    break;
                }
            }
        }
        accepting.sort(Comparator.<JsonNode>comparingInt(pf -> pf.path("msixFree").asInt())
                .thenComparingInt(pf -> pf.path("msixStranded").asInt())
                .thenComparing(pf -> pf.path("device").asText()).thenComparing(pf -> pf.path("pf").asText()));
        assertEquals(accepting.stream().map(FleetHttpTest::key).toList(), List.copyOf(offered), () -> where + ": every PF a dry run accepts, best fit first");

        if (!placements.isEmpty()) {
            JsonNode first = placements.get(0);
            bus.accept(first.path("command").toString());
            for (JsonNode now : get(bus, "/v1/placements?limit=1000000&msix=" + msix + emulation).path("placements")) {
                boolean samePf = FleetHttpTest.key(now).equals(FleetHttpTest.key(first));
                assertTrue(!samePf || now.path("vf").asInt() != first.path("vf").asInt()
                        && now.path("msixFree").asInt() == first.path("msixFree").asInt() - msix,
                        () -> where + ": the answer after " + first.path("command") + " still offers " + now);
            }
        }
    }

    private static int vfCount(BusFixture bus, String device, String pf) {
        for (JsonNode view : bus.pool(device).path("pfs")) {
            if (view.path("pf").asText().equals(pf)) {
                return view.path("vfCount").asInt();
            }
        }
        return 0;
    }

    private static ObjectNode get(BusFixture bus, String path) {
        HttpResponse<String> response = bus.get(AUDITOR_TOKEN, path);
        assertEquals(200, response.statusCode(), response::body);
        return BusFixture.object(response.body());
    }

    private static HttpResponse<String> dryRun(BusFixture bus, String command) {
        return bus.send(bus.request("/v1/commands?dryRun=true")
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(command)));
    }
}
