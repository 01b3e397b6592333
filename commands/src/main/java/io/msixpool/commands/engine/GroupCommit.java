package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreOutage;
import io.msixpool.commands.wire.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.Transaction;

/**
 * Group commit: commands decided one after the other inside one store transaction, their outcomes
 * returned once it committed, so a group costs one commit instead of one each. Both ways of sending
 * many commands use it: {@code msix apply} (the lines waiting on its input) and {@link GroupCommitter}
 * (the commands waiting for a writer thread).
 */
final class GroupCommit {
    /** Commands per transaction at most: bounds a transaction's size and a failure's blast radius. */
    static final int MAX_GROUP = 256;

    private final Decider decider;
    private final JdbcTransactions transactions;
    /** The devices Axon keeps in memory, which may hold a rolled-back group's decisions. */
    private final Cache devices;

    GroupCommit(Decider decider, JdbcTransactions transactions, Cache devices) {
        this.decider = decider;
        this.transactions = transactions;
        this.devices = devices;
    }

    /**
     * Decides every submission of one ordered stream ({@code msix apply}'s lines) in order, group
     * after group, handing each group's outcomes to {@code answer} before the next group is decided.
     * A group ends after each unsettled outcome: see {@link #decideGroup}.
     *
     * @throws RuntimeException when a commit failed: its outcome is unknown, and nothing after the
     *                          submissions already answered is decided
     */
    void decideAll(List<Submission> submissions, Consumer<List<Outcome>> answer) {
        decideAll(submissions, answer, true);
    }

    /**
     * Like {@link #decideAll(List, Consumer)}, for commands of concurrent senders that waited
     * together ({@link GroupCommitter}): a rejection does not end the group. Those senders share no
     * order among themselves, and their answers go out only after the commit that follows their
     * decision whatever it is; a rejected command whose answer a crash lost is, sent again, just a
     * later arrival, decided on the state then, as any command sent after the others. Ending the
     * group there bought no guarantee, and cost a commit (an fsync) per rejection, a quarter of the
     * bench's commands.
     */
    void decideConcurrent(List<Submission> submissions, Consumer<List<Outcome>> answer) {
        decideAll(submissions, answer, false);
    }

    private void decideAll(List<Submission> submissions, Consumer<List<Outcome>> answer, boolean endAtUnsettled) {
        for (int done = 0; done < submissions.size(); ) {
            List<Outcome> outcomes = decideGroup(submissions.subList(done, submissions.size()), endAtUnsettled);
            answer.accept(outcomes);
            done += outcomes.size();
        }
    }

    /**
     * Decides commands from the front of the list (at most {@link #MAX_GROUP}) inside one store
     * transaction and returns their outcomes once it committed.
     *
     * <p>In an ordered stream a group ends right after the first command whose outcome is not remembered (a rejection or
     * an accepted no-op, docs/rules.md "Retries"): if the caller died before passing that outcome on, its
     * client would resend the command and it would be decided afresh, so no later command may be
     * committed before the caller has written that outcome out. Callers write the returned outcomes,
     * then call again with the rest ({@link #decideAll}).
     *
     * <p>If deciding fails (anything but a rule's rejection), nothing of the group is kept: the
     * transaction rolls back, the cached devices (which may hold its uncommitted decisions) are
     * dropped, and only the first command is decided again, alone, with the usual conflict retries.
     * If the commit itself fails, its outcome is unknown and the failure is thrown: deciding the
     * commands again could record some of them twice. If the store could not be reached before a
     * COMMIT was sent, {@link CommandNotTaken} is thrown: nothing of the group is recorded.
     *
     * @return the outcomes of the first 1..n commands, in order
     */
    List<Outcome> decideGroup(List<Submission> submissions) {
        return decideGroup(submissions, true);
    }

    private List<Outcome> decideGroup(List<Submission> submissions, boolean endAtUnsettled) {
        if (submissions.isEmpty()) {
            return List.of();
        }
        try {
            return decideGroupOnce(submissions, endAtUnsettled);
        } catch (RuntimeException failure) {
            // Store down or restarting: no COMMIT reached it, so nothing of the group is recorded and
            // its commands may be sent again (503), unlike a commit whose outcome is unknown (500).
            throw StoreOutage.nothingRecorded(failure) ? CommandNotTaken.storeUnreachable(failure) : failure;
        }
    }

    private List<Outcome> decideGroupOnce(List<Submission> submissions, boolean endAtUnsettled) {
        List<Outcome> outcomes = new ArrayList<>();
        Transaction group = transactions.startTransaction();
        try {
            for (Submission submission : submissions.subList(0, Math.min(submissions.size(), MAX_GROUP))) {
                Outcome outcome = decider.attempt(submission);
                outcomes.add(outcome);
                if (endAtUnsettled && !outcome.isSettled()) {
                    break;
                }
            }
        } catch (RuntimeException | Error failure) {
            // Errors too (a JDBC driver's assertion on a broken connection): the transaction bound to
            // this thread must be rolled back and unbound whatever failed, or the next group would
            // run inside it.
            rollBackQuietly(group);
            devices.removeAll();
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return List.of(decider.send(submissions.get(0)));
        }
        try {
            group.commit();
        } catch (RuntimeException | Error unknownOutcome) {
            devices.removeAll();
            throw unknownOutcome; // the commit may have happened: deciding again could record twice
        }
        return outcomes;
    }

    private static void rollBackQuietly(Transaction transaction) {
        try {
            transaction.rollback();
        } catch (RuntimeException alreadyBroken) {
            // the connection failed with the group; its first command is decided again alone
        }
    }
}
