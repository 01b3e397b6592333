package io.msixpool.commands.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.store.LogOrder;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.merkle.CachedLeafHashes;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.MerkleHash;
import io.msixpool.replay.merkle.MerkleTree;
import io.msixpool.replay.merkle.NoteKey;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log's signed checkpoints, kept in the store ({@link CheckpointTables}), and the proofs over
 * them (docs/event-log.md, "Checkpoints"). Each round ({@link #advance}) covers the events whose
 * positions are final ({@link SettledPosition}), in order of position, which is the export's order:
 * leaf i is the i-th line of {@code msix export}. A new checkpoint is signed only over a tree whose
 * prefix has the root of the newest one before ({@link Checkpoint#next}), and stored with its
 * leaves in one transaction; on PostgreSQL one node at a time does so, and the others take its
 * leaves from the store. Proofs are computed from the leaf hashes held in memory ({@link CachedLeafHashes}).
 */
public final class LogCheckpoints {
    /** At most this many events a round covers, so a round on a large unsigned log stays short and shows progress. */
    static final int MAX_LEAVES_PER_ROUND = 50_000;

    private final Engine engine;
    private final NoteKey key;
    private final LogOrder order;
    private final SettledPosition settled;
    private final CachedLeafHashes leaves = new CachedLeafHashes();
    private volatile Signed newest;
    /** Held for a whole round, so that rounds never overlap; proofs never wait for it. */
    private final Object rounds = new Object();

    /** A signed checkpoint: the checkpoint, its note as served, and the position of its last event (0: none). */
    public record Signed(Checkpoint checkpoint, String note, long lastPosition) {
    }

    private LogCheckpoints(Engine engine, NoteKey key) {
        this.engine = engine;
        this.key = key;
        this.order = engine.logOrder();
        this.settled = new SettledPosition(engine.transactions(), order);
    }

    /**
     * The checkpoints of a writing engine's store, signed with {@code key}: loads the covered leaves,
     * checks that they have the newest checkpoint's root, and signs the empty log's checkpoint where
     * there is none yet.
     *
     * @throws IllegalStateException when the store's log has another origin or key, or its checkpoint tables were changed
     */
    public static LogCheckpoints open(Engine engine, NoteKey key) {
        if (!key.canSign()) {
            throw new IllegalArgumentException("checkpoints are signed with a private key, not a verifier key");
        }
        LogCheckpoints checkpoints = new LogCheckpoints(engine, key);
        checkpoints.catchUp();
        if (checkpoints.newest == null) {
            checkpoints.store(List.of(), new Checkpoint(key.name(), 0, MerkleHash.emptyRoot()), 0, -1);
            checkpoints.catchUp();
        }
        return checkpoints;
    }

    /** The newest signed checkpoint of a store, as a reader sees it: none before a writer signed one. */
    public static Optional<String> storedNote(Engine engine) {
        try (Connection connection = engine.transactions().getConnection()) {
            return CheckpointTables.exist(connection)
                    ? CheckpointTables.newest(connection).map(CheckpointTables.Stored::note)
                    : Optional.empty();
        } catch (SQLException e) {
            throw new StoreFailure("cannot read the log's checkpoints", e);
        }
    }

    /** The newest checkpoint this node knows; at most one round behind the store's. */
    public Signed newest() {
        return newest;
    }

    /**
     * One round: takes what other nodes stored, then covers the events that are final and not yet
     * covered (at most {@link #MAX_LEAVES_PER_ROUND}) with a new signed checkpoint.
     *
     * @return how many events the new checkpoint covers beyond the one before (0: none signed)
     */
    public int advance() {
        synchronized (rounds) {
            catchUp();
            Signed before = newest;
            long finalPosition = settled.highest();
            if (finalPosition <= before.lastPosition()) {
                return 0;
            }
            List<CheckpointTables.Leaf> added = leavesAfter(before, finalPosition);
            return added.isEmpty() ? 0 : extend(before, added);
        }
    }

    /** The leaves of the events after {@code before}'s, up to the final position: read without holding proofs up. */
    private List<CheckpointTables.Leaf> leavesAfter(Signed before, long finalPosition) {
        List<CheckpointTables.Leaf> added = new ArrayList<>();
        long size = before.checkpoint().size();
        long lastPosition = before.lastPosition();
        try (var lines = EventLog.lines(engine, before.lastPosition())) {
            for (var iterator = lines.iterator(); iterator.hasNext() && added.size() < MAX_LEAVES_PER_ROUND; ) {
                ObjectNode line = iterator.next();
                long position = line.get(EventLogFormat.ENVELOPE).get("position").asLong();
                if (position > finalPosition) {
                    break;
                }
                if (position <= lastPosition) {
                    // A reader's stream fills gaps it saw as they commit; below the final position none may.
                    throw new IllegalStateException("event " + position + " came after event " + lastPosition
                            + " in the log: its order is not final, no checkpoint is signed over it");
                }
                lastPosition = position;
                added.add(new CheckpointTables.Leaf(size + added.size(), position, MerkleHash.leafOfLine(line.toString())));
            }
        }
        return added;
    }

    /**
     * Adds the leaves after {@code before}'s and stores the checkpoint over them; the leaves are cut
     * back unless it was stored. Proofs go on meanwhile: they never ask for leaves beyond the newest
     * checkpoint, and these are beyond it until it is stored.
     */
    private synchronized int extend(Signed before, List<CheckpointTables.Leaf> added) {
        if (newest != before) {
            return 0; // a proof took another node's newer checkpoint meanwhile: these leaves would follow its own
        }
        long beforeSize = before.checkpoint().size();
        boolean stored = false;
        try {
            added.forEach(leaf -> leaves.add(leaf.hash()));
            Checkpoint next = before.checkpoint().next(new MerkleTree(leaves), leaves.size());
            stored = store(added, next, added.getLast().position(), beforeSize);
        } finally {
            if (!stored) {
                leaves.truncate(beforeSize);
            }
        }
        catchUp();
        return stored ? added.size() : 0;
    }

    /**
     * The proof that leaf {@code index} is in the tree of {@code size} leaves, for sizes up to the
     * newest checkpoint's (the store's, when another node signed one this node has not taken yet).
     */
    public List<byte[]> inclusionProof(long index, long size) {
        requireCovered(size);
        return new MerkleTree(leaves).inclusionProof(index, size);
    }

    /** The proof that the tree of {@code from} leaves is a prefix of the tree of {@code to}: see {@link #inclusionProof}. */
    public List<byte[]> consistencyProof(long from, long to) {
        requireCovered(to);
        return new MerkleTree(leaves).consistencyProof(from, to);
    }

    private void requireCovered(long size) {
        long covered = coveredSize(size);
        if (size > covered) {
            throw new IllegalArgumentException("the newest checkpoint covers " + covered + " events, not " + size);
        }
    }

    /**
     * The size of the newest checkpoint, the store's when {@code wanted} is beyond the one this node
     * knows (another node signed a newer one).
     */
    public long coveredSize(long wanted) {
        if (wanted > newest.checkpoint().size()) {
            catchUp();
        }
        return newest.checkpoint().size();
    }

    /**
     * Takes the store's newest checkpoint and the leaves it covers beyond those in memory, and checks
     * that they have its root: leaves changed in the store are never built on.
     */
    private synchronized void catchUp() {
        try (Connection connection = engine.transactions().getConnection()) {
            Optional<CheckpointTables.Stored> stored = CheckpointTables.newest(connection);
            if (stored.isEmpty()) {
                return;
            }
            CheckpointTables.Stored row = stored.get();
            requireThisLogsKey(row);
            if (newest != null && row.size() == newest.checkpoint().size()) {
                return;
            }
            Checkpoint checkpoint = Checkpoint.open(row.note(), key.verifier());
            long had = leaves.size();
            if (row.size() > had) {
                CheckpointTables.readLeaves(connection, had, row.size(), leaves::add);
            }
            if (!MessageDigest.isEqual(new MerkleTree(leaves).root(row.size()), checkpoint.rootHash())) {
                leaves.truncate(had);
                throw new IllegalStateException("the store's leaf hashes do not have the root of its checkpoint of "
                        + row.size() + " events: the checkpoint tables were changed; no checkpoint is signed over them");
            }
            newest = new Signed(checkpoint, row.note(), row.lastPosition());
        } catch (SQLException e) {
            throw new StoreFailure("cannot read the log's checkpoints", e);
        }
    }

    private void requireThisLogsKey(CheckpointTables.Stored row) {
        if (!row.origin().equals(key.name())) {
            throw new IllegalStateException("this store's log is " + row.origin() + ", and the signing key is of log "
                    + key.name() + ": a log keeps its origin and its key (msix key prints the store's verifier key)");
        }
        if (!row.verifierKey().equals(key.verifier().verifierKey())) {
            throw new IllegalStateException("this store's checkpoints are signed by " + row.verifierKey()
                    + ", not by the signing key given (" + key.verifier().verifierKey() + ")");
        }
    }

    /**
     * Stores {@code checkpoint}, signed, with its new leaves, unless the store's newest checkpoint
     * is no longer of {@code expectedSize} (another node stored one first).
     *
     * @return true when stored
     */
    private boolean store(List<CheckpointTables.Leaf> added, Checkpoint checkpoint, long lastPosition, long expectedSize) {
        CheckpointTables.Stored row = new CheckpointTables.Stored(checkpoint.size(), lastPosition, checkpoint.origin(),
                key.verifier().verifierKey(), checkpoint.sign(key));
        try (Connection connection = engine.transactions().getConnection()) {
            connection.setAutoCommit(false);
            try {
                SettledPosition.run(connection, order.checkpointLock());
                long newestSize = CheckpointTables.newest(connection).map(CheckpointTables.Stored::size).orElse(-1L);
                if (newestSize != expectedSize) {
                    connection.rollback();
                    return false;
                }
                CheckpointTables.insert(connection, added, row);
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException failure) {
                connection.rollback();
                throw failure;
            }
        } catch (SQLException e) {
            throw new StoreFailure("cannot store the log's checkpoint of " + checkpoint.size() + " events", e);
        }
    }
}
