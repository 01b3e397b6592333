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
 * Group commit for concurrent senders: one writer thread takes every command waiting, decides
 * them with {@link Engine#sendGroupOf} (one store transaction for as many as it can) and completes
 * each caller's result only after that transaction committed. Under load a commit is shared by
 * many commands; a lone command is decided at once. The writer is the only thread deciding, so
 * commands for one device keep their arrival order.
 */
final class GroupCommitter implements AutoCloseable {
    /** Commands per transaction at most: bounds a transaction's size and a failure's blast radius. */
    static final int MAX_GROUP = 256;
    /** Waiting commands at most; beyond, a sender is refused at once rather than queued without end. */
    static final int MAX_WAITING = 10_000;

    private record Pending(Engine.Submission submission, CompletableFuture<Outcome> result) {
    }

    private final Engine engine;
    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>(MAX_WAITING);
    private final Thread writer;
    private volatile boolean closing;

    GroupCommitter(Engine engine) {
        this.engine = engine;
        this.writer = new Thread(this::run, "msix-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    CompletableFuture<Outcome> submit(Engine.Submission submission) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        if (closing) {
            result.completeExceptionally(new StoreFailure("the engine is closing", null));
        } else if (!waiting.offer(new Pending(submission, result))) {
            result.completeExceptionally(new StoreFailure(MAX_WAITING + " commands are already waiting", null));
        }
        return result;
    }

    private void run() {
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
        try {
            writer.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
