package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.TestStores;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v1/commands?dryRun=true} answers exactly what the real command would get (status and
 * body, plus {@code "dryRun":true}) and records nothing: no event, no retry memory, no position, no
 * change of the pool; counted apart in the metrics (docs/wire.md "Dry runs").
 */
class DryRunTest {

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aDryRunAnswersAsTheRealCommandWouldAndRecordsNothing(TestStores.Kind kind) {
        try (BusFixture bus = BusFixture.start(kind)) {
            bus.accept(withId(BusFixture.provision("dry", "nvme0", 4, 64), "prov-1"));
            List<ObjectNode> events = bus.events();
            ObjectNode pool = bus.pool("dry");
            Map<String, Double> metrics = bus.metrics();

            String open = withId("{\"type\":\"OpenPf\",\"device\":\"dry\",\"pf\":\"nvme0\"}", "open-1");
            String reclaimWhileClosed = "{\"type\":\"Reclaim\",\"device\":\"dry\",\"pf\":\"nvme0\"}";
            String resent = withId(BusFixture.provision("dry", "nvme0", 4, 64), "prov-1");
            String reused = withId(BusFixture.provision("dry", "nvme1", 4, 64), "prov-1");
            for (String command : List.of(open, reclaimWhileClosed, resent, reused, open)) {
                HttpResponse<String> tried = dryRun(bus, BusFixture.OPERATOR_TOKEN, command);
                assertEquals(events, bus.events(), "a dry run records no event: " + command);
                assertEquals(pool, bus.pool("dry"), "a dry run changes no pool: " + command);
                HttpResponse<String> real = bus.post(BusFixture.OPERATOR_TOKEN, command);
                assertEquals(real.statusCode(), tried.statusCode(), command);
                ObjectNode expected = BusFixture.object(real.body()).put("dryRun", true);
                assertEquals(expected, BusFixture.object(tried.body()), "the dry run's answer is the real one's: " + command);
                // Undo nothing: the next command is tried against what the real one left.
                events = bus.events();
                pool = bus.pool("dry");
            }
            Map<String, Double> after = bus.metrics();
            assertEquals(5.0, sum(after, "msix_dry_runs_total") - sum(metrics, "msix_dry_runs_total"), after.toString());
            assertEquals(5.0, sum(after, "msix_commands_total") - sum(metrics, "msix_commands_total"),
                    "only the real commands count as commands");

            // No position used: the next real event follows the last one without a gap.
            long last = events.getLast().path("envelope").path("position").asLong();
            dryRun(bus, BusFixture.OPERATOR_TOKEN, "{\"type\":\"Reclaim\",\"device\":\"dry\",\"pf\":\"nvme0\"}");
            bus.accept("{\"type\":\"Reclaim\",\"device\":\"dry\",\"pf\":\"nvme0\"}");
            assertEquals(last + 1, bus.events().get(events.size()).path("envelope").path("position").asLong());
        }
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void anAuditorMayNotDryRunAndABadFlagIsNamed(TestStores.Kind kind) {
        try (BusFixture bus = BusFixture.start(kind)) {
            String provision = BusFixture.provision("dry", "nvme0", 4, 64);
            assertEquals(403, dryRun(bus, BusFixture.AUDITOR_TOKEN, provision).statusCode());
            for (String flag : List.of("yes", "1", "TRUE", "true&dryRun=true")) {
                HttpResponse<String> response = bus.send(bus.request("/v1/commands?dryRun=" + flag)
                        .header("Authorization", "Bearer " + BusFixture.OPERATOR_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(provision)));
                assertEquals(400, response.statusCode(), flag);
                assertTrue(BusFixture.object(response.body()).path("message").asText().startsWith("dryRun "), response.body());
            }
            assertEquals(200, dryRun(bus, BusFixture.OPERATOR_TOKEN, provision).statusCode());
            assertEquals(404, bus.poolResponse("dry").statusCode(), "the device a dry run provisioned does not exist");
            assertTrue(bus.events().isEmpty(), "nothing recorded");
        }
    }

    private static HttpResponse<String> dryRun(BusFixture bus, String token, String command) {
        return bus.send(bus.request("/v1/commands?dryRun=true")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(command)));
    }

    private static String withId(String command, String id) {
        return command.substring(0, command.length() - 1) + ",\"commandId\":\"" + id + "\"}";
    }

    private static double sum(Map<String, Double> metrics, String name) {
        return metrics.entrySet().stream().filter(sample -> sample.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
