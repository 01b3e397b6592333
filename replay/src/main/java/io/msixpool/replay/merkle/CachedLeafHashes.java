package io.msixpool.replay.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Leaf hashes that also keep the hash of every aligned block of {@link #BLOCK} leaves and of every
 * aligned run of such blocks that is a power of two (1, 2, 4, ... blocks), so that a proof on a
 * million-leaf log costs a few hundred hashes instead of a million. RFC 9162's trees split a range
 * where its left part is the largest power of two below its length, so every range a root or a
 * proof asks for is made of such aligned perfect subtrees plus at most one partial block at its right end.
 *
 * <p>The leaves grow at their end and may be cut back ({@link #truncate}) when leaves added for a
 * checkpoint were not stored after all. Thread-safe: readers may compute proofs while a writer adds.
 */
public final class CachedLeafHashes implements LeafHashes {
    /** Leaves per cached block: 8 KB of leaf hashes; a partial block costs at most 255 hashes to fold. */
    public static final int BLOCK = 256;
    private static final int BLOCK_BITS = Integer.numberOfTrailingZeros(BLOCK);

    private final PackedLeafHashes leaves = new PackedLeafHashes(1 << 16);
    /** levels.get(j).get(i): the hash of leaves [i * BLOCK * 2^j, (i + 1) * BLOCK * 2^j). */
    private final List<List<byte[]>> levels = new ArrayList<>();

    @Override
    public synchronized long size() {
        return leaves.size();
    }

    @Override
    public synchronized byte[] leafHash(long index) {
        return leaves.leafHash(index);
    }

    public synchronized CachedLeafHashes add(byte[] leafHash) {
        leaves.add(leafHash);
        long size = leaves.size();
        if (size % BLOCK == 0) {
            long block = size / BLOCK - 1;
            addNode(0, LeafHashes.super.rangeHash(block * BLOCK, size));
        }
        return this;
    }

    /** Puts a finished subtree at {@code level}, then every parent it completes. */
    private void addNode(int level, byte[] hash) {
        if (levels.size() == level) {
            levels.add(new ArrayList<>());
        }
        List<byte[]> nodes = levels.get(level);
        nodes.add(hash);
        if (nodes.size() % 2 == 0) {
            addNode(level + 1, MerkleHash.node(nodes.get(nodes.size() - 2), hash));
        }
    }

    /** Forgets every leaf from {@code size} on, and the cached subtrees that held any of them. */
    public synchronized void truncate(long size) {
        if (size < 0 || size > leaves.size()) {
            throw new IllegalArgumentException("cannot cut " + leaves.size() + " leaves to " + size);
        }
        leaves.truncate(size);
        for (int level = 0; level < levels.size(); level++) {
            List<byte[]> nodes = levels.get(level);
            long keep = size >> (BLOCK_BITS + level);
            nodes.subList(Math.toIntExact(keep), nodes.size()).clear();
        }
    }

    @Override
    public synchronized byte[] rangeHash(long from, long to) {
        long length = to - from;
        if (length >= BLOCK && Long.bitCount(length) == 1 && from % length == 0) {
            int level = Long.numberOfTrailingZeros(length) - BLOCK_BITS;
            return levels.get(level).get(Math.toIntExact(from / length));
        }
        if (length == 1) {
            return leaves.leafHash(from);
        }
        long left = Long.highestOneBit(length - 1);
        return MerkleHash.node(rangeHash(from, from + left), rangeHash(from + left, to));
    }
}
