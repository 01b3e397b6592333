package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.OPERATOR_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.TestStores;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/http.md "Fleet": {@code GET /v1/pools} lists every PF of every device in (device, pf) order,
 * filtered and paged; {@code GET /v1/placements} ranks where an AssignVectors would be accepted;
 * both show every command this node answered before them; bad parameters are a 400 naming them.
 */
class FleetHttpTest {

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void theFleetIsListedInOrderFilteredAndPaged(TestStores.Kind kind) {
        try (BusFixture bus = BusFixture.start(kind)) {
            bus.openReclaimedPf("fl-b", "nvme0", 4);                 // open, 64 free
            bus.accept(BusFixture.provision("fl-a", "nvme1", 4, 64)); // closed, 0 free (the even default)
            bus.accept(virtioBlk("fl-a", "vblk0"));
            bus.accept(BusFixture.provision("fl-a", "nvme0", 2, 32));

            List<String> all = keys(pools(bus, ""));
            assertEquals(List.of("fl-a/nvme0", "fl-a/nvme1", "fl-a/vblk0", "fl-b/nvme0"), all);
            JsonNode b = pools(bus, "?minFree=1").path("pools").get(0);
            assertEquals(BusFixture.object("{\"device\":\"fl-b\",\"pf\":\"nvme0\",\"emulation\":\"NVME\",\"open\":true,"
                    + "\"dynamicMsix\":true,\"msixTotal\":64,\"msixFree\":64,\"msixLinked\":0,\"msixStranded\":0,"
                    + "\"numVfs\":0,\"vfsOpen\":0}"), b, "a summary says what the pool view says of the PF");
            assertEquals(List.of("fl-b/nvme0"), keys(pools(bus, "?minFree=64&open=true&emulation=NVME")));
            assertEquals(List.of("fl-a/nvme0", "fl-a/nvme1", "fl-a/vblk0"), keys(pools(bus, "?open=false")));
            assertEquals(List.of("fl-a/vblk0"), keys(pools(bus, "?emulation=VIRTIO_BLK")));

            List<String> paged = new ArrayList<>();
            String query = "?limit=3";
            while (true) {
                ObjectNode page = pools(bus, query);
                paged.addAll(keys(page));
                if (!page.has("next")) {
                    break;
                }
                query = "?limit=3&after=" + page.path("next").asText();
            }
            assertEquals(all, paged, "pages of 3 give every PF once, in order");
            assertEquals(List.of("fl-a/vblk0", "fl-b/nvme0"), keys(pools(bus, "?after=fl-a/nvme1")));
            assertEquals(List.of(), keys(pools(bus, "?after=zz/z")));

            // What this node answered is in the next listing, without waiting.
            bus.accept("{\"type\":\"OpenPf\",\"device\":\"fl-a\",\"pf\":\"vblk0\"}");
            assertEquals(List.of("fl-a/vblk0", "fl-b/nvme0"), keys(pools(bus, "?open=true")));
        }
    }

    /** docs/http.md "Metrics": the fleet's vectors by emulation, totals and not a series per PF. */
    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void theMetricsGiveTheFleetsVectorsByEmulation(TestStores.Kind kind) {
        try (BusFixture bus = BusFixture.start(kind)) {
            bus.openReclaimedPf("fm-b", "nvme0", 4);                 // 64 free
            bus.accept(BusFixture.provision("fm-a", "nvme1", 4, 64)); // 4 closed VFs of 16: 64 stranded
            bus.accept(BusFixture.assign("fm-b", "nvme0", 1, 10));    // VF 1 opened with 10 vectors
            bus.accept("{\"type\":\"CloseVf\",\"device\":\"fm-b\",\"pf\":\"nvme0\",\"vf\":1}"); // ...then closed: stranded

            pools(bus, ""); // a listing shows every command this node answered: the metrics read the same fleet
            Map<String, Double> metrics = bus.metrics();
            assertEquals(128.0, vectors(metrics, "NVME", "total"));
            assertEquals(54.0, vectors(metrics, "NVME", "free"));
            assertEquals(74.0, vectors(metrics, "NVME", "linked"));
            assertEquals(74.0, vectors(metrics, "NVME", "stranded"));
            assertEquals(0.0, vectors(metrics, "VIRTIO_BLK", "total"));
            assertFalse(metrics.keySet().stream().anyMatch(sample -> sample.contains("fm-a")), "no series per device or PF");
        }
    }

    private static double vectors(Map<String, Double> metrics, String emulation, String state) {
        String key = "msix_fleet_vectors{emulation=\"" + emulation + "\",state=\"" + state + "\"}";
        assertTrue(metrics.containsKey(key), () -> key + " in " + metrics.keySet());
        return metrics.get(key);
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void badParametersAreNamedAndChangeNothing(TestStores.Kind kind) {
        try (BusFixture bus = BusFixture.start(kind)) {
            bus.openReclaimedPf("fl-a", "nvme0", 4);
            List<ObjectNode> events = bus.events();
            Map<String, String> refused = Map.ofEntries(
                    Map.entry("/v1/pools?emulation=nvme", "emulation"),
                    Map.entry("/v1/pools?minFree=-1", "minFree"),
                    Map.entry("/v1/pools?minFree=x", "minFree"),
                    Map.entry("/v1/pools?open=yes", "open"),
                    Map.entry("/v1/pools?open=true&open=false", "open"),
                    Map.entry("/v1/pools?limit=0", "limit"),
                    Map.entry("/v1/pools?limit=1001", "limit"),
                    Map.entry("/v1/pools?after=fl-a", "after"),
                    Map.entry("/v1/pools?after=fl-a/nvme0/x", "after"),
                    Map.entry("/v1/pools?after=fl%20a/nvme0", "after"),
                    Map.entry("/v1/pools?min_free=1", "min_free"),
                    Map.entry("/v1/pools/watch?limit=1", "limit"),
                    Map.entry("/v1/pools/watch?minFree=a", "minFree"),
                    Map.entry("/v1/placements", "msix"),
                    Map.entry("/v1/placements?msix=0", "msix"),
                    Map.entry("/v1/placements?msix=2049", "msix"),
                    Map.entry("/v1/placements?msix=4&emulation=SCSI", "emulation"),
                    Map.entry("/v1/placements?msix=4&limit=0", "limit"),
                    Map.entry("/v1/placements?msix=4&open=true", "open"));
            refused.forEach((path, parameter) -> {
                HttpResponse<String> response = bus.get(AUDITOR_TOKEN, path);
                assertEquals(400, response.statusCode(), path + " -> " + response.body());
                ObjectNode error = BusFixture.object(response.body());
                assertEquals("BAD_REQUEST", error.path("code").asText(), path);
                assertTrue(error.path("message").asText().startsWith(parameter + " ")
                        || error.path("message").asText().startsWith(parameter + ":"), path + " names " + parameter + ": " + error);
            });
            assertEquals(events, bus.events(), "a refused read changed nothing");
            assertEquals(401, bus.get(null, "/v1/pools").statusCode());
            assertEquals(401, bus.get(null, "/v1/placements?msix=4").statusCode());
            assertEquals(405, bus.send(bus.request("/v1/pools").header("Authorization", "Bearer " + OPERATOR_TOKEN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
        }
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void placementsAreBestFitFirstAndFollowEveryAnsweredCommand(TestStores.Kind kind) {
        try (BusFixture bus = BusFixture.start(kind)) {
            bus.openReclaimedPf("pl-a", "nvme0", 8);  // 128 free
            bus.openReclaimedPf("pl-b", "nvme0", 4);  // 64 free
            bus.openReclaimedPf("pl-b", "nvme1", 2);  // 32 free
            bus.accept(BusFixture.provision("pl-c", "nvme0", 4, 64)); // closed: never a placement

            ObjectNode answer = placements(bus, "?msix=16");
            assertEquals(List.of("pl-b/nvme1", "pl-b/nvme0", "pl-a/nvme0"), keys(answer.path("placements")),
                    "the smallest free pool that fits first");
            JsonNode first = answer.path("placements").get(0);
            assertEquals(BusFixture.object(BusFixture.assign("pl-b", "nvme1", 0, 16)), first.path("command"));
            assertEquals(List.of("pl-b/nvme1"), keys(placements(bus, "?msix=32&limit=1").path("placements")),
                    "a pool that fits exactly fits best");
            assertEquals(List.of(), keys(placements(bus, "?msix=16&emulation=VIRTIO_BLK").path("placements")));

            // The first candidate's command is accepted, and the very next answer shows it.
            bus.accept(first.path("command").toString());
            ObjectNode after = placements(bus, "?msix=16");
            assertEquals(List.of("pl-b/nvme1", "pl-b/nvme0", "pl-a/nvme0"), keys(after.path("placements")));
            assertEquals(1, after.path("placements").get(0).path("vf").asInt(), "VF 0 holds vectors now");
            assertEquals(16, after.path("placements").get(0).path("msixFree").asInt());
            bus.accept(after.path("placements").get(0).path("command").toString());
            assertEquals(List.of("pl-b/nvme0", "pl-a/nvme0"), keys(placements(bus, "?msix=16").path("placements")),
                    "a pool with nothing free is no candidate");
            assertEquals(200, bus.get(AUDITOR_TOKEN, "/v1/placements?msix=2").statusCode(), "any role reads placements");
        }
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void theFleetWatchShowsTheFleetThenEveryChangeAndAPfLeavingItsFilter(TestStores.Kind kind) throws InterruptedException {
        try (BusFixture bus = BusFixture.start(kind)) {
            bus.openReclaimedPf("fw-a", "nvme0", 4);   // 64 free
            bus.openReclaimedPf("fw-b", "nvme0", 4);
            bus.accept(BusFixture.provision("fw-c", "nvme0", 4, 64)); // 0 free: outside the filter
            try (SseStream watch = SseStream.get(bus.port(), AUDITOR_TOKEN, "/v1/pools/watch?minFree=40", -1)) {
                assertEquals(200, watch.status());
                assertTrue(watch.contentType().startsWith("text/event-stream"), watch.contentType());
                assertEquals("fw-a/nvme0", key(BusFixture.object(watch.next())));
                assertEquals("fw-b/nvme0", key(BusFixture.object(watch.next())));
                assertTrue(bus.server.fleetWatched());

                bus.accept(BusFixture.assign("fw-b", "nvme0", 0, 16));  // 48 free: still in
                ObjectNode changed = BusFixture.object(watch.next());
                assertEquals("fw-b/nvme0", key(changed));
                assertEquals(48, changed.path("msixFree").asInt());
                assertEquals(1, changed.path("vfsOpen").asInt());

                bus.accept(BusFixture.assign("fw-b", "nvme0", 1, 16));  // 32 free: leaves the filter, sent once more
                ObjectNode left = BusFixture.object(watch.next());
                assertEquals(32, left.path("msixFree").asInt());
                bus.accept(BusFixture.assign("fw-b", "nvme0", 2, 16));  // outside before and after: not sent
                bus.accept(BusFixture.assign("fw-a", "nvme0", 0, 8));
                ObjectNode next = BusFixture.object(watch.next());
                assertEquals("fw-a/nvme0", key(next), "fw-b's change outside the filter was not sent: " + next);
                assertEquals(56, next.path("msixFree").asInt());
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (bus.server.fleetWatched() && System.nanoTime() < deadline) {
                Thread.sleep(10); // the server learns of the closed connection on its own time
            }
            assertFalse(bus.server.fleetWatched(), "the feed closes with its last watcher");
        }
    }

    static String virtioBlk(String device, String pf) {
        return BusFixture.provision(device, pf, 4, 64).replace("\"NVME\"", "\"VIRTIO_BLK\"");
    }

    static ObjectNode pools(BusFixture bus, String query) {
        HttpResponse<String> response = bus.get(AUDITOR_TOKEN, "/v1/pools" + query);
        assertEquals(200, response.statusCode(), response::body);
        return BusFixture.object(response.body());
    }

    static ObjectNode placements(BusFixture bus, String query) {
        HttpResponse<String> response = bus.get(AUDITOR_TOKEN, "/v1/placements" + query);
        assertEquals(200, response.statusCode(), response::body);
        return BusFixture.object(response.body());
    }

    static List<String> keys(JsonNode listOrPage) {
        JsonNode list = listOrPage.has("pools") ? listOrPage.path("pools") : listOrPage;
        List<String> keys = new ArrayList<>();
        list.forEach(item -> keys.add(key(item)));
        return keys;
    }

    static String key(JsonNode item) {
        return item.path("device").asText() + "/" + item.path("pf").asText();
    }
}
