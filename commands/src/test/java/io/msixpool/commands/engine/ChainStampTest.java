package io.msixpool.commands.engine;

import static io.msixpool.commands.support.ChainChecks.assertChainHolds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.replay.EventLogFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two engines (two nodes) on one PostgreSQL store, deciding for the same device at the same time,
 * alone and in group commits, extend one chain: each event links to the one committed before it
 * whichever node wrote that, because a stamp made on a stale head loses the (device, sequence) race
 * and its command is decided again.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ChainStampTest {
    private static final String DEVICE = "bf3-a";
    private static final String NVME0 = "nvme0";
    private static final int ROUNDS = 8;

    @Test
    void twoEnginesRacingOnOneDeviceExtendOneChain() throws Exception {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(TestStores.Kind.POSTGRES));
        try (Engine first = Engine.open(store); Engine second = Engine.open(store)) {
            first.send(new ProvisionPf(DEVICE, NVME0, Emulation.NVME, 8, 256, 2, 32), "setup");
            first.send(new OpenPf(DEVICE, NVME0), "setup");
            first.send(new Reclaim(DEVICE, NVME0), "setup");

            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                // Both nodes start every round together, so that they race on the device each round
                // however fast either one is (with devices in memory, one could otherwise finish first).
                CyclicBarrier eachRound = new CyclicBarrier(2);
                Future<Integer> a = nodes.submit(() -> churn(first, 0, "node-a", eachRound));
                Future<Integer> b = nodes.submit(() -> churn(second, 4, "node-b", eachRound));
                int recorded = 3 + a.get() + b.get();

                List<String> log = EventLog.lines(second).map(ObjectNode::toString).toList();
                assertEquals(recorded + 1, log.size(), "provision records 2 events, then one per event the nodes recorded");
                assertChainHolds(log);
                assertTrue(actorChanges(log) >= 4, "the nodes' events interleave in the device's stream, "
                        + actorChanges(log) + " changes of actor");
            } finally {
                nodes.shutdownNow();
            }
        }
    }

    /** VFs from..from+3, ROUNDS times: each assigned alone, then all four released in one group; the events recorded. */
    private static int churn(Engine engine, int from, String actor, CyclicBarrier eachRound) throws Exception {
        int events = 0;
        for (int round = 0; round < ROUNDS; round++) {
            eachRound.await(1, TimeUnit.MINUTES);
            List<DeviceCommand> releases = new ArrayList<>();
            for (int vf = from; vf < from + 4; vf++) {
                events += recorded(List.of(engine.send(new AssignVectors(DEVICE, NVME0, vf, 4), actor)));
                releases.add(new ReleaseVectors(DEVICE, NVME0, vf));
            }
            for (int done = 0; done < releases.size(); ) {
                List<Outcome> outcomes = engine.sendGroup(releases.subList(done, releases.size()), actor);
                events += recorded(outcomes);
                done += outcomes.size();
            }
        }
        assertEquals(ROUNDS * 16, events, actor + ": every assign and release recorded its two events");
        return events;
    }

    private static int recorded(List<Outcome> outcomes) {
        return outcomes.stream().mapToInt(o -> o instanceof Outcome.Accepted a ? a.events().size() : 0).sum();
    }

    private static int actorChanges(List<String> log) {
        int changes = 0;
        for (int i = 1; i < log.size(); i++) {
            String before = EventLogFormat.parse(log.get(i - 1)).get("envelope").get("actor").asText();
            String now = EventLogFormat.parse(log.get(i)).get("envelope").get("actor").asText();
            changes += before.equals(now) ? 0 : 1;
        }
        return changes;
    }
}
