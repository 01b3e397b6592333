package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.ProvisionPf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * docs/http.md: too many commands waiting is a 503, not an unknown outcome. The group committer
 * refuses a sender at once beyond its waiting limit with {@link CommandNotTaken}, and a command so
 * refused was not decided: nothing of it is in the store, so sending it again is safe.
 */
class GroupCommitterTest {
    @Test
    void aCommandBeyondTheWaitingLimitIsRefusedAtOnceAndNotDecided() {
        try (Engine engine = Engine.open(StoreLocation.parse(TestStores.fresh(TestStores.Kind.EMBEDDED)));
             GroupCommitter oneWaiting = new GroupCommitter(engine.groupCommit(), 1, 1)) {
            List<CompletableFuture<Outcome>> results = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                results.add(oneWaiting.submit(new Submission(provision("card-" + i), "test")));
            }
            int taken = 0;
            int refused = 0;
            for (int i = 0; i < results.size(); i++) {
                try {
                    assertInstanceOf(Outcome.Accepted.class, results.get(i).join(), "card-" + i);
                    taken++;
                    assertTrue(engine.pool("card-" + i).isPresent(), "card-" + i + " was decided and recorded");
                } catch (CompletionException notTaken) {
                    assertInstanceOf(CommandNotTaken.class, notTaken.getCause(), "card-" + i);
                    assertTrue(notTaken.getCause().getMessage().contains("nothing was decided"),
                            notTaken.getCause().getMessage());
                    refused++;
                    assertTrue(engine.pool("card-" + i).isEmpty(), "card-" + i + " was refused, yet recorded");
                }
            }
            System.out.printf("GroupCommitterTest: of 300 commands sent at once to one waiting place, %d taken, %d "
                    + "refused%n", taken, refused);
            assertTrue(refused > 0, "300 commands sent at once overflow a queue of one");
            assertTrue(taken > 0, "the writer takes what waits");
            assertEquals(300, taken + refused);
        }
    }

    private static ProvisionPf provision(String device) {
        return new ProvisionPf(device, "nvme0", Emulation.NVME, 4, 64, 2, 32, "p-" + device);
    }
}
