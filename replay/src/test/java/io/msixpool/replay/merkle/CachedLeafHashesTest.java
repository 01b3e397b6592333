package io.msixpool.replay.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cached subtrees give the very roots and proofs a plain recomputation from the leaves gives,
 * across block boundaries and after leaves were cut back (the plain tree is checked against the
 * RFC's published vectors in {@link MerkleTreeTest}).
 */
class CachedLeafHashesTest {
    private static final int LEAVES = 5 * CachedLeafHashes.BLOCK + 37;

    @Test
    void rootsAndProofsEqualThoseRecomputedFromTheLeaves() {
        List<byte[]> hashes = leaves(LEAVES);
        CachedLeafHashes cached = new CachedLeafHashes();
        hashes.forEach(cached::add);
        MerkleTree fast = new MerkleTree(cached);
        MerkleTree plain = new MerkleTree(LeafHashes.of(hashes));
        Random random = new Random(7);
        for (int size : new int[] {1, 2, 255, 256, 257, 511, 512, 513, 1024, 1280, LEAVES}) {
            assertArrayEquals(plain.root(size), fast.root(size), "root of " + size);
            for (int i = 0; i < 20; i++) {
                long index = random.nextInt(size);
                assertEquals(hex(plain.inclusionProof(index, size)), hex(fast.inclusionProof(index, size)),
                        "inclusion of " + index + " in " + size);
                long old = 1 + random.nextInt(size);
                assertEquals(hex(plain.consistencyProof(old, size)), hex(fast.consistencyProof(old, size)),
                        "consistency of " + old + " with " + size);
            }
        }
    }

    @Test
    void leavesCutBackAndAddedAgainGiveTheNewLeavesRoots() {
        List<byte[]> first = leaves(LEAVES);
        CachedLeafHashes cached = new CachedLeafHashes();
        first.forEach(cached::add);
        int kept = 2 * CachedLeafHashes.BLOCK + 3;
        cached.truncate(kept);
        assertEquals(kept, cached.size());
        List<byte[]> other = new ArrayList<>(first.subList(0, kept));
        for (byte[] leaf : leaves(LEAVES + 11).subList(LEAVES, LEAVES + 11).reversed()) {
            other.add(leaf);
        }
        other.addAll(leaves(3 * CachedLeafHashes.BLOCK).subList(0, 3 * CachedLeafHashes.BLOCK));
        other.subList(kept, other.size()).forEach(cached::add);
        MerkleTree plain = new MerkleTree(LeafHashes.of(other));
        for (long size = 1; size <= other.size(); size += 97) {
            assertArrayEquals(plain.root(size), new MerkleTree(cached).root(size), "root of " + size);
        }
        assertArrayEquals(plain.root(other.size()), new MerkleTree(cached).root(other.size()));
        assertThrows(IllegalArgumentException.class, () -> cached.truncate(other.size() + 1));
    }

    private static List<byte[]> leaves(int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(MerkleHash.leafOfLine("{\"line\":" + i + "}"));
        }
        return leaves;
    }

    private static List<String> hex(List<byte[]> proof) {
        return proof.stream().map(java.util.HexFormat.of()::formatHex).toList();
    }
}
