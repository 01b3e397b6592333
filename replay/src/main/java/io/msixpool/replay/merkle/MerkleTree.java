package io.msixpool.replay.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 section 2.1 over a log's leaf hashes: the root of any prefix of the log,
 * inclusion proofs (2.1.3) and consistency proofs (2.1.4) exactly as the RFC defines them, and the
 * RFC's verification algorithms for both, so that any RFC 9162 (or RFC 6962) implementation checks
 * our proofs and we check theirs. Proof hashes are listed from the leaves up, as the RFC lists them.
 *
 * <p>A tree is a view of its {@link LeafHashes} and holds nothing itself: every hash it needs is a
 * {@link LeafHashes#rangeHash range hash}, so a source that keeps subtree hashes makes proofs cheap.
 */
public final class MerkleTree {
    private final LeafHashes leaves;

    public MerkleTree(LeafHashes leaves) {
        this.leaves = leaves;
    }

    /** The number of leaves the tree has now. */
    public long size() {
        return leaves.size();
    }

    /** MTH(D[0:size]): the root of the tree of the first {@code size} leaves. */
    public byte[] root(long size) {
        requireSize(size);
        return size == 0 ? MerkleHash.emptyRoot() : MerkleHash.copy(leaves.rangeHash(0, size));
    }

    /** PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1: the proof that leaf {@code index} is in that tree. */
    public List<byte[]> inclusionProof(long index, long size) {
        requireSize(size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, size, proof);
        return proof;
    }

    /**
     * PROOF(oldSize, D[0:newSize]) of RFC 9162 section 2.1.4.1: the proof that the tree of
     * {@code oldSize} leaves is a prefix of the tree of {@code newSize}. Empty when the old tree is
     * empty or the same tree (the RFC defines proofs for 0 &lt; old &lt; new; both cases need none).
     */
    public List<byte[]> consistencyProof(long oldSize, long newSize) {
        requireSize(newSize);
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("a tree of " + oldSize + " is not a prefix of a tree of " + newSize);
        }
        List<byte[]> proof = new ArrayList<>();
        if (oldSize > 0 && oldSize < newSize) {
            subproof(oldSize, 0, newSize, true, proof);
        }
        return proof;
    }

    /** Appends PATH(index - from, D[from:to]) to {@code proof}. */
    private void path(long index, long from, long to, List<byte[]> proof) {
        if (to - from <= 1) {
            return;
        }
        long k = Long.highestOneBit(to - from - 1);
        if (index < from + k) {
            path(index, from, from + k, proof);
            proof.add(leaves.rangeHash(from + k, to));
        } else {
            path(index, from + k, to, proof);
            proof.add(leaves.rangeHash(from, from + k));
        }
    }

    /** Appends SUBPROOF(old - from, D[from:to], whole) to {@code proof}. */
    private void subproof(long old, long from, long to, boolean whole, List<byte[]> proof) {
        if (old == to) {
            if (!whole) {
                proof.add(leaves.rangeHash(from, to));
            }
            return;
        }
        long k = Long.highestOneBit(to - from - 1);
        if (old <= from + k) {
            subproof(old, from, from + k, whole, proof);
            proof.add(leaves.rangeHash(from + k, to));
        } else {
            subproof(old, from + k, to, false, proof);
            proof.add(leaves.rangeHash(from, from + k));
        }
    }

    private void requireSize(long size) {
        if (size < 0 || size > leaves.size()) {
            throw new IllegalArgumentException("the tree has " + leaves.size() + " leaves, not " + size);
        }
    }

    /**
     * RFC 9162 section 2.1.3.2: true when {@code proof} shows that {@code leafHash} is leaf
     * {@code index} of the tree of {@code size} leaves whose root is {@code root}.
     */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || !MerkleHash.wellFormed(leafHash) || !MerkleHash.wellFormed(root)) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0 || !MerkleHash.wellFormed(p)) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MerkleHash.same(r, root);
    }

    /**
     * RFC 9162 section 2.1.4.2: true when {@code proof} shows that the tree of {@code oldSize} leaves
     * with root {@code oldRoot} is a prefix of the tree of {@code newSize} with root {@code newRoot}.
     * An empty old tree is a prefix of every tree, and a tree of the old size of itself, with an empty proof.
     */
    public static boolean verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
        if (oldSize < 0 || oldSize > newSize || !MerkleHash.wellFormed(oldRoot) || !MerkleHash.wellFormed(newRoot)) {
            return false;
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && MerkleHash.same(oldRoot, newRoot);
        }
        if (oldSize == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty() || !proof.stream().allMatch(MerkleHash::wellFormed)) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        if (Long.bitCount(oldSize) == 1) {
            path.add(oldRoot);
        }
        path.addAll(proof);
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(c, fr);
                sr = MerkleHash.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHash.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MerkleHash.same(fr, oldRoot) && MerkleHash.same(sr, newRoot);
    }
}
