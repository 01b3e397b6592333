package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The sequences this process gives devices' events, and the chain hash of each device's latest one:
 * those appended in each thread's open transaction, and, once it commits, the last of each device
 * handed to listeners (on the committing thread, before the commands' answers go out). A
 * rolled-back transaction is forgotten: only committed events count. {@link FreshDevices} and the
 * watch feeds (docs/http.md, "Watches") learn of this process's writes here, and {@link ChainStamp}
 * finds the hash to link a device's next event to.
 */
final class CommittedSequences {
    /** A device's latest event this process appended: its sequence and chain hash. */
    private record Head(long sequence, String hash) {
    }

    private final ThreadLocal<Map<String, Head>> appended = ThreadLocal.withInitial(HashMap::new);
    /** Per device, the latest event this process committed; another process may have appended since. */
    private final Map<String, Head> committed = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Long>> listeners = new CopyOnWriteArrayList<>();

    CommittedSequences(JdbcTransactions transactions) {
        transactions.onEnd(this::transactionEnded);
    }

    /** An event of {@code device} at {@code sequence}, chained as {@code hash}, is being appended in this thread's transaction. */
    void appending(String device, long sequence, String hash) {
        appended.get().merge(device, new Head(sequence, hash), CommittedSequences::later);
    }

    /** The last sequence appended to {@code device} in this thread's open transaction, or null. */
    Long appendedInThisTransaction(String device) {
        Head head = appended.get().get(device);
        return head == null ? null : head.sequence();
    }

    /**
     * The chain hash of {@code device}'s event at {@code sequence} if this process appended it, in
     * this thread's open transaction or in one that committed; else null (read it from the store).
     * A committed event never changes, whoever appends after it, so the hash remembered for its
     * sequence is the one the store holds, without a query.
     */
    String hashOf(String device, long sequence) {
        Head head = appended.get().get(device);
        if (head == null || head.sequence() != sequence) {
            head = committed.get(device);
        }
        return head != null && head.sequence() == sequence ? head.hash() : null;
    }

    /** {@code listener} gets (device, its last sequence) after each commit that appended to the device; it must be quick. */
    void onCommitted(BiConsumer<String, Long> listener) {
        listeners.add(listener);
    }

    private void transactionEnded(boolean wasCommitted) {
        Map<String, Head> mine = appended.get();
        if (wasCommitted && !mine.isEmpty()) {
            mine.forEach((device, head) -> committed.merge(device, head, CommittedSequences::later));
            for (BiConsumer<String, Long> listener : listeners) {
                mine.forEach((device, head) -> listener.accept(device, head.sequence()));
            }
        }
        mine.clear();
    }

    private static Head later(Head one, Head other) {
        return one.sequence() >= other.sequence() ? one : other;
    }
}
