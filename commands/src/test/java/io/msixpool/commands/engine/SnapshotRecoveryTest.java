package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import io.msixpool.projections.PoolView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After many snapshots, a freshly opened engine (empty cache: snapshot plus tail) holds exactly the
 * pools a fold of every stored event gives, and still recognises retries of commands accepted long
 * before its latest snapshot.
 */
class SnapshotRecoveryTest {
    private static final int COMMANDS = 3 * Engine.SNAPSHOT_EVERY * 4;

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aReopenedEngineRebuildsThePoolsAndTheRetryMemoryFromSnapshots(TestStores.Kind kind) {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(kind));
        Workload workload = new Workload(7, WorkloadShape.small(1), "snap");
        List<DeviceCommand> accepted = new ArrayList<>();
        try (Engine engine = Engine.open(store)) {
            for (int i = 0; i < COMMANDS; i++) {
                DeviceCommand command = workload.next();
                if (engine.send(command, "test") instanceof Outcome.Accepted a && !a.duplicate()
                        && !a.events().isEmpty()) {
                    accepted.add(command);
                }
            }
        }
        String device = "snap-0000";
        try (Engine reopened = Engine.open(store)) {
            List<DeviceEvent> stored = new ArrayList<>();
            EventLog.read(reopened).forEach(logged -> stored.add(logged.event()));
            assertTrue(stored.size() > 2 * Engine.SNAPSHOT_EVERY, "the history spans several snapshots");
            PoolView expected = PoolView.of(DeviceState.replay(stored));
            assertEquals(expected, reopened.pool(device).orElseThrow());

            DeviceCommand early = accepted.get(5);
            Outcome retry = reopened.send(early, "test");
            assertEquals(new Outcome.Accepted(true, List.of()), retry, "a retry of " + early);
            assertEquals(expected, reopened.pool(device).orElseThrow(), "a duplicate changes nothing");
        }
    }
}
