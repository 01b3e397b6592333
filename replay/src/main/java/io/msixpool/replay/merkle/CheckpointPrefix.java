package io.msixpool.replay.merkle;

/**
 * Whether a log extends a checkpoint: its first N lines (N the checkpoint's size) have exactly the
 * checkpoint's root. Fed the log's leaf hashes in order as they are read, it keeps only the
 * {@link TreeHead} of the first N (O(log N) memory) and counts the rest.
 *
 * <p>What it can say is bounded by what a root says: when the first N lines have another root, one
 * or more of them differ (or were inserted, removed or moved), but not which; only a log shorter
 * than N is told apart, since its missing leaves are counted.
 */
public final class CheckpointPrefix {
    /** How the log stands to the checkpoint. */
    public enum Outcome {
        /** The first N lines have the checkpoint's root. */
        EXTENDS,
        /** The log has fewer than N lines. */
        TRUNCATED,
        /** The log has N lines or more, but its first N have another root. */
        REWRITTEN
    }

    private final Checkpoint checkpoint;
    private final TreeHead head = new TreeHead();
    private byte[] prefixRoot;
    private long lines;

    public CheckpointPrefix(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
        this.prefixRoot = checkpoint.size() == 0 ? MerkleHash.emptyRoot() : null;
    }

    /** The next line's leaf hash. */
    public void add(byte[] leafHash) {
        if (lines < checkpoint.size()) {
            head.add(leafHash);
            if (head.size() == checkpoint.size()) {
                prefixRoot = head.root();
            }
        }
        lines++;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The lines (leaves) seen so far. */
    public long lines() {
        return lines;
    }

    /** The root of the log's first N lines, or null while it has fewer. */
    public byte[] prefixRoot() {
        return prefixRoot == null ? null : prefixRoot.clone();
    }

    public Outcome outcome() {
        if (prefixRoot == null) {
            return Outcome.TRUNCATED;
        }
        return MerkleHash.same(prefixRoot, checkpoint.rootHash()) ? Outcome.EXTENDS : Outcome.REWRITTEN;
    }
}
