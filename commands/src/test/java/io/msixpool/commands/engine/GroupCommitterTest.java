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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.msixpool.domain.RejectionCode;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.Reclaim;
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

    /**
     * Concurrent senders' commands that waited together share one commit, a rejection among them
     * included: a rejection used to end its group, so each cost a commit (an fsync) of its own. The
     * writer is held in its first commit while three commands queue behind it: accepted, rejected,
     * accepted; once let go, it decides all three in one transaction.
     */
    @Test
    void aRejectionSharesItsGroupsCommitWithTheCommandsAfterIt() throws Exception {
        try (Engine engine = Engine.open(StoreLocation.parse(TestStores.fresh(TestStores.Kind.EMBEDDED)));
             GroupCommitter committer = new GroupCommitter(engine.groupCommit(), 1)) {
            CountDownLatch writerInCommit = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            AtomicInteger writerCommits = new AtomicInteger();
            engine.transactions().onEnd(committed -> {
                if (committed && Thread.currentThread().getName().startsWith("msix-group-commit")) {
                    writerCommits.incrementAndGet();
                    writerInCommit.countDown();
                    await(letGo);
                }
            });
            CompletableFuture<Outcome> first = committer.submit(new Submission(provision("card-a"), "test"));
            assertTrue(writerInCommit.await(30, TimeUnit.SECONDS), "the writer commits the first command");
            List<CompletableFuture<Outcome>> waiting = List.of(
                    committer.submit(new Submission(new OpenPf("card-a", "nvme0", true), "test")),
                    committer.submit(new Submission(new OpenPf("card-a", "nvme0", true), "test")),
                    committer.submit(new Submission(new Reclaim("card-a", "nvme0"), "test")));
            writerCommits.set(0);
            letGo.countDown();
            assertInstanceOf(Outcome.Accepted.class, first.join());
            assertInstanceOf(Outcome.Accepted.class, waiting.get(0).join());
            assertEquals(RejectionCode.PF_ALREADY_OPEN, assertInstanceOf(Outcome.Rejected.class, waiting.get(1).join()).code());
            assertInstanceOf(Outcome.Accepted.class, waiting.get(2).join());
            assertEquals(1, writerCommits.get(), "the three commands that waited together, one commit");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ProvisionPf provision(String device) {
        return new ProvisionPf(device, "nvme0", Emulation.NVME, 4, 64, 2, 32, "p-" + device);
    }
}
