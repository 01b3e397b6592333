package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The sequences this process gives devices' events: those appended in each thread's open transaction,
 * and, once it commits, the last of each device handed to listeners (on the committing thread,
 * before the commands' answers go out). A rolled-back transaction is forgotten: only committed events count.
 * {@link FreshDevices} and the watch feeds (docs/http.md, "Watches") learn of this process's writes here.
 */
final class CommittedSequences {
    private final ThreadLocal<Map<String, Long>> appended = ThreadLocal.withInitial(HashMap::new);
    private final List<BiConsumer<String, Long>> listeners = new CopyOnWriteArrayList<>();

    CommittedSequences(JdbcTransactions transactions) {
        transactions.onEnd(this::transactionEnded);
    }

    /** An event of {@code device} at {@code sequence} is being appended in this thread's transaction. */
    void appending(String device, long sequence) {
        appended.get().merge(device, sequence, Math::max);
    }

    /** The last sequence appended to {@code device} in this thread's open transaction, or null. */
    Long appendedInThisTransaction(String device) {
        return appended.get().get(device);
    }

    /** {@code listener} gets (device, its last sequence) after each commit that appended to the device; it must be quick. */
    void onCommitted(BiConsumer<String, Long> listener) {
        listeners.add(listener);
    }

    private void transactionEnded(boolean wasCommitted) {
        Map<String, Long> mine = appended.get();
        if (wasCommitted && !mine.isEmpty()) {
            for (BiConsumer<String, Long> listener : listeners) {
                mine.forEach(listener);
            }
        }
        mine.clear();
    }
}
