package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.RejectionCode;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.ClosePf;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Two engines (two processes, two nodes) on one PostgreSQL store each decide on what the other
 * committed, including rejections and retries, which write nothing and so meet no write conflict.
 */
class SharedStoreTest {

    @Test
    void eachEngineDecidesOnWhatTheOtherCommitted() {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(TestStores.Kind.POSTGRES));
        try (Engine first = Engine.open(store); Engine second = Engine.open(store)) {
            first.send(new ProvisionPf("bf3-a", "nvme0", Emulation.NVME, 4, 64, 2, 32), "first");

            assertEquals(1, ((Outcome.Accepted) second.send(new OpenPf("bf3-a", "nvme0"), "second")).events().size());
            assertEquals(1, ((Outcome.Accepted) first.send(new ClosePf("bf3-a", "nvme0"), "first")).events().size(),
                    "the first engine sees the PF the second one opened");
            assertEquals(new Outcome.Rejected(RejectionCode.PF_NOT_OPEN, "PF nvme0 is not open"),
                    second.send(new Reclaim("bf3-a", "nvme0"), "second"),
                    "the second engine sees the PF the first one closed");

            first.send(new OpenPf("bf3-a", "nvme0"), "first");
            first.send(new Reclaim("bf3-a", "nvme0"), "first");
            first.send(new AssignVectors("bf3-a", "nvme0", 1, 8, "vm-1"), "first");
            assertEquals(new Outcome.Accepted(true, List.of()),
                    second.send(new AssignVectors("bf3-a", "nvme0", 1, 8, "vm-1"), "second"),
                    "a retry sent to the other node is a duplicate");
        }
    }

    /**
     * Nodes started together on a fresh database all come up: the tables are created once, the others
     * wait for that and find them (PostgreSQL's CREATE TABLE IF NOT EXISTS alone fails for the loser of
     * a concurrent create: before the schema lock, two or three of the four failed to start in every run).
     */
    @Test
    void enginesOpeningAFreshStoreTogetherAllStart() {
        int rounds = 3;
        int engines = 4;
        for (int round = 0; round < rounds; round++) {
            StoreLocation store = StoreLocation.parse(TestStores.fresh(TestStores.Kind.POSTGRES));
            CyclicBarrier together = new CyclicBarrier(engines);
            List<CompletableFuture<Engine>> opening = new ArrayList<>();
            for (int i = 0; i < engines; i++) {
                opening.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return Engine.open(store);
                }));
            }
            List<Throwable> failures = new ArrayList<>();
            for (CompletableFuture<Engine> engine : opening) {
                try {
                    engine.join().close();
                } catch (RuntimeException failure) {
                    failures.add(failure);
                }
            }
            assertEquals(List.of(), failures, "round " + round + ": every engine opened the fresh store");
        }
    }
}
