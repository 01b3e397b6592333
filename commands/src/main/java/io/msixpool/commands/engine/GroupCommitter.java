package io.msixpool.commands.engine;

import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.wire.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for concurrent senders: a writer thread takes every command waiting for it, decides
 * them with {@link Engine#sendGroupOf} (one store transaction for as many as it can) and completes
 * each caller's result only after that transaction committed. Under load a commit is shared by
 * many commands; a lone command is decided at once.
 *
 * <p>There may be several writers, each owning a share of the devices: a device's commands always
 * go to the same writer, the only thread deciding them, so they keep their arrival order. One
 * writer suits the embedded store (SQLite writes one transaction at a time, and devices stay in
 * memory); on PostgreSQL a command makes several round trips to the database, and one writer
 * would spend most of its time waiting on them.
 */
final class GroupCommitter implements AutoCloseable {
    /** Commands per transaction at most: bounds a transaction's size and a failure's blast radius. */
    static final int MAX_GROUP = 256;
    /** Waiting commands at most, per writer; beyond, a sender is refused at once rather than queued without end. */
    static final int MAX_WAITING = 10_000;

    private record Pending(Engine.Submission submission, CompletableFuture<Outcome> result) {
    }

    private final Engine engine;
    /** One queue per writer; a device's commands always wait in the same one. */
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closing;

    GroupCommitter(Engine engine, int writerCount) {
        this.engine = engine;
        for (int i = 0; i < writerCount; i++) {
            BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>(MAX_WAITING);
            Thread writer = new Thread(() -> run(waiting), writerCount == 1 ? "msix-group-commit" : "msix-group-commit-" + i);
            writer.setDaemon(true);
            queues.add(waiting);
            writers.add(writer);
        }
        writers.forEach(Thread::start);
    }

    CompletableFuture<Outcome> submit(Engine.Submission submission) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        BlockingQueue<Pending> waiting = queues.get(Math.floorMod(submission.command().device().hashCode(), queues.size()));
        if (closing) {
            result.completeExceptionally(new StoreFailure("the engine is closing", null));
        } else if (!waiting.offer(new Pending(submission, result))) {
            result.completeExceptionally(new StoreFailure(MAX_WAITING + " commands are already waiting", null));
        }
        return result;
    }

    private void run(BlockingQueue<Pending> waiting) {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        while (!(closing && waiting.isEmpty())) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, MAX_GROUP - 1);
                decide(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /** Decides the whole group, in as many transactions as its outcomes require (Engine.sendGroup). */
    private void decide(List<Pending> group) {
        int done = 0;
        while (done < group.size()) {
            List<Engine.Submission> rest = group.subList(done, group.size()).stream().map(Pending::submission).toList();
            List<Outcome> outcomes;
            try {
                outcomes = engine.sendGroupOf(rest);
            } catch (RuntimeException failure) {
                // The commit's outcome is unknown for the whole group: every sender learns it.
                group.subList(done, group.size()).forEach(pending -> pending.result().completeExceptionally(failure));
                return;
            }
            for (Outcome outcome : outcomes) {
                group.get(done++).result().complete(outcome);
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
