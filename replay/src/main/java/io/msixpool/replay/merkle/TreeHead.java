package io.msixpool.replay.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The root of a growing tree, computed as leaves arrive, in O(log n) memory: it keeps the roots of
 * the perfect subtrees the leaves so far make (at most one of each size, largest first), and folds
 * them right to left for the root, which is MTH of RFC 9162 because MTH's left part is always the
 * largest perfect subtree. What an auditor streaming a million-line export needs, with no list.
 */
public final class TreeHead {
    private final List<byte[]> subtreeRoots = new ArrayList<>();
    private final List<Long> subtreeSizes = new ArrayList<>();
    private long size;

    public TreeHead addLine(String line) {
        return add(MerkleHash.leafOfLine(line));
    }

    public TreeHead add(byte[] leafHash) {
        if (!MerkleHash.wellFormed(leafHash)) {
            throw new IllegalArgumentException("a leaf hash has " + MerkleHash.SIZE + " bytes");
        }
        byte[] hash = MerkleHash.copy(leafHash);
        long subtree = 1;
        int last = subtreeRoots.size() - 1;
        while (last >= 0 && subtreeSizes.get(last) == subtree) {
            hash = MerkleHash.node(subtreeRoots.remove(last), hash);
            subtree += subtreeSizes.remove(last);
            last--;
        }
        subtreeRoots.add(hash);
        subtreeSizes.add(subtree);
        size++;
        return this;
    }

    public long size() {
        return size;
    }

    /** MTH of the leaves added so far; SHA-256 of nothing when there are none. */
    public byte[] root() {
        if (subtreeRoots.isEmpty()) {
            return MerkleHash.emptyRoot();
        }
        byte[] root = subtreeRoots.get(subtreeRoots.size() - 1);
        for (int i = subtreeRoots.size() - 2; i >= 0; i--) {
            root = MerkleHash.node(subtreeRoots.get(i), root);
        }
        return MerkleHash.copy(root);
    }
}
