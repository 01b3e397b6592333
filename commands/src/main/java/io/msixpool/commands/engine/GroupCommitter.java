package io.msixpool.commands.engine;

import io.msixpool.commands.wire.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for concurrent senders: a writer thread takes every command waiting for it, decides
 * them with {@link GroupCommit} (one store transaction for as many as it can), calling Axon's
 * command bus on that thread, and completes each caller's result only after that transaction
 * committed. Under load a commit is shared by many commands; a lone command is decided at once.
 *
 * <p>There may be several writers, each owning a share of the devices: a device's commands always
 * go to the same writer, the only thread deciding them, so they keep their arrival order. One
 * writer suits the embedded store (SQLite writes one transaction at a time, and devices stay in
 * memory); on PostgreSQL a command makes several round trips to the database, and one writer
 * would spend most of its time waiting on them.
 */
final class GroupCommitter implements AutoCloseable {
    /** Waiting commands at most, per writer; beyond, a sender is refused at once rather than queued without end. */
    static final int MAX_WAITING = 10_000;

    private record Pending(Submission submission, CompletableFuture<Outcome> result) {
    }

    private final GroupCommit groupCommit;
    private final int maxWaiting;
    /** One queue per writer; a device's commands always wait in the same one. */
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closing;

    GroupCommitter(GroupCommit groupCommit, int writerCount) {
        this(groupCommit, writerCount, MAX_WAITING);
    }

    /** With {@code maxWaiting} commands at most waiting per writer (tests make it small). */
    GroupCommitter(GroupCommit groupCommit, int writerCount, int maxWaiting) {
        this.groupCommit = groupCommit;
        this.maxWaiting = maxWaiting;
        for (int i = 0; i < writerCount; i++) {
            BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>(maxWaiting);
            Thread writer = new Thread(() -> run(waiting), writerCount == 1 ? "msix-group-commit" : "msix-group-commit-" + i);
            writer.setDaemon(true);
            queues.add(waiting);
            writers.add(writer);
        }
        writers.forEach(Thread::start);
    }

    CompletableFuture<Outcome> submit(Submission submission) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        BlockingQueue<Pending> waiting = queues.get(Math.floorMod(submission.command().device().hashCode(), queues.size()));
        if (closing) {
            result.completeExceptionally(new CommandNotTaken("the engine is closing"));
        } else if (!waiting.offer(new Pending(submission, result))) {
            result.completeExceptionally(new CommandNotTaken(maxWaiting + " commands are already waiting"));
        }
        return result;
    }

    private void run(BlockingQueue<Pending> waiting) {
        List<Pending> group = new ArrayList<>(GroupCommit.MAX_GROUP);
        while (!(closing && waiting.isEmpty())) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, GroupCommit.MAX_GROUP - 1);
                decide(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /** Decides the whole group, in as many transactions as its outcomes require, answering each sender. */
    private void decide(List<Pending> group) {
        int[] answered = {0};
        try {
            groupCommit.decideConcurrent(group.stream().map(Pending::submission).toList(),
                    outcomes -> outcomes.forEach(outcome -> group.get(answered[0]++).result().complete(outcome)));
        } catch (RuntimeException | Error failure) {
            // The commit's outcome is unknown for the rest of the group: every sender learns it. The
            // writer lives on whatever failed: a dead writer would leave its devices' commands
            // waiting for ever.
            group.subList(answered[0], group.size()).forEach(pending -> pending.result().completeExceptionally(failure));
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        }
    }

    /** Stops taking commands, decides those already waiting, then returns. */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            for (Thread writer : writers) {
                writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
