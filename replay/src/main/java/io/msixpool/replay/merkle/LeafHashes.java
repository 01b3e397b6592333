package io.msixpool.replay.merkle;

import java.util.List;

/**
 * The leaf hashes a tree is built over, by index (leaf i is the i-th line of the exported log). A
 * tree asks only for the hashes of ranges of leaves, so a source that keeps the hashes of some
 * subtrees (a store, later) answers {@link #rangeHash} without touching every leaf; this default
 * recomputes a range from its leaves, which is O(range) time and O(log range) stack.
 */
public interface LeafHashes {
    long size();

    /** The leaf hash at {@code index}, 0 &lt;= index &lt; {@link #size()}. */
    byte[] leafHash(long index);

    /**
     * MTH(D[from:to]) of RFC 9162 section 2.1.1, for 0 &lt;= from &lt; to &lt;= {@link #size()}: the
     * range is split where its left part is the largest power of two smaller than its length.
     */
    default byte[] rangeHash(long from, long to) {
        long length = to - from;
        if (length == 1) {
            return leafHash(from);
        }
        long left = Long.highestOneBit(length - 1);
        return MerkleHash.node(rangeHash(from, from + left), rangeHash(from + left, to));
    }

    /** The hashes of a list, in its order; the list is not copied. */
    static LeafHashes of(List<byte[]> hashes) {
        return new LeafHashes() {
            @Override
            public long size() {
                return hashes.size();
            }

            @Override
            public byte[] leafHash(long index) {
                return hashes.get(Math.toIntExact(index));
            }
        };
    }
}
