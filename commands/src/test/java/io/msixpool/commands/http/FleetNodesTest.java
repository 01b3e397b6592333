package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The fleet of a node follows the other nodes of its PostgreSQL store (docs/http.md "Fleet"): a node
 * that starts while another writes rebuilds by a scan and follows from where it ended, so no event
 * falls between the two; afterwards it shows every write of the other node, and its fleet watch too.
 */
class FleetNodesTest {
    private static final BusServer.Timeouts TIMEOUTS = BusServer.Timeouts.DEFAULT;

    @Test
    void aNodeStartedWhileAnotherWritesMissesNoneOfItsWrites() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.POSTGRES);
        try (BusFixture a = BusFixture.startOn(TestStores.Kind.POSTGRES, store, TIMEOUTS)) {
            for (int d = 0; d < 4; d++) {
                a.openReclaimedPf("nd-" + d, "nvme0", 8);
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int round = 0; writing.get(); round++) {
                    String device = "nd-" + round % 4;
                    int vf = round / 4 % 8;
                    a.post(BusFixture.OPERATOR_TOKEN, BusFixture.assign(device, "nvme0", vf, 2));
                    a.post(BusFixture.OPERATOR_TOKEN, "{\"type\":\"ReleaseVectors\",\"device\":\"" + device
                            + "\",\"pf\":\"nvme0\",\"vf\":" + (vf + 3) % 8 + "}");
                }
            });
            try (BusFixture b = BusFixture.startOn(TestStores.Kind.POSTGRES, store, TIMEOUTS)) {
                try (SseStream watch = SseStream.get(b.port(), AUDITOR_TOKEN, "/v1/pools/watch?minFree=0", -1)) {
                    assertEquals(200, watch.status());
                    writing.set(false);
                    writer.join();
                    a.accept(BusFixture.provision("nd-last", "nvme0", 2, 32));
                    String seen;
                    do {
                        seen = watch.next(); // blocks up to the socket's timeout: node B's watch shows node A's write
                    } while (seen != null && !seen.contains("\"nd-last\""));
                    assertEquals("nd-last", BusFixture.object(seen).path("device").asText());
                }
                // Node B shows node A's last write (its watch did): it shows everything before it as A does.
                assertEquals(fleet(a), fleet(b), "the node that started during the writes shows what the writer shows");
            }
        }
    }

    private static List<JsonNode> fleet(BusFixture bus) {
        List<JsonNode> all = new ArrayList<>();
        String query = "/v1/pools?limit=1000";
        while (true) {
            ObjectNode page = BusFixture.object(bus.get(AUDITOR_TOKEN, query).body());
            page.path("pools").forEach(all::add);
            if (!page.has("next")) {
                return all;
            }
            query = "/v1/pools?limit=1000&after=" + page.path("next").asText();
        }
    }
}
