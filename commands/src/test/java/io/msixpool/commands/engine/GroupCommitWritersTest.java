package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Group commit with several writers (PostgreSQL) or one (embedded): every device's commands are
 * decided in the order they were submitted, although all are submitted at once without waiting,
 * and every one is recorded. A single out-of-order command would be refused (an assignment before
 * its PF is open, a release before its assignment).
 */
class GroupCommitWritersTest {
    private static final int DEVICES = 24;
    private static final int CYCLES = 15;

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void eachDevicesCommandsAreDecidedInTheOrderTheyWereSubmitted(TestStores.Kind kind) {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(kind));
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        List<DeviceCommand> sent = new ArrayList<>();
        try (Engine engine = Engine.open(store)) {
            for (int step = 0; step < 3 + 2 * CYCLES; step++) {
                for (int d = 0; d < DEVICES; d++) {
                    DeviceCommand command = commandAt(step, "dev-" + d);
                    sent.add(command);
                    outcomes.add(engine.submitGrouped(command, "test"));
                }
            }
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome outcome = outcomes.get(i).join();
                assertInstanceOf(Outcome.Accepted.class, outcome, sent.get(i) + " -> " + outcome);
                assertEquals(false, ((Outcome.Accepted) outcome).duplicate(), sent.get(i).toString());
            }
            for (int d = 0; d < DEVICES; d++) {
                Optional<?> pool = engine.pool("dev-" + d);
                assertEquals(true, pool.isPresent());
            }
        }
        assertEquals(DEVICES * (3 + 2 * CYCLES), sent.size());
    }

    /** Provision, open, reclaim, then assign and release VF 0 again and again: each only valid after the one before. */
    private static DeviceCommand commandAt(int step, String device) {
        return switch (step) {
            case 0 -> new ProvisionPf(device, "nvme0", Emulation.NVME, 4, 64, 2, 32);
            case 1 -> new OpenPf(device, "nvme0", true);
            case 2 -> new Reclaim(device, "nvme0");
            default -> (step - 3) % 2 == 0
                    ? new AssignVectors(device, "nvme0", 0, 4 + (step % 5))
                    : new ReleaseVectors(device, "nvme0", 0);
        };
    }
}
