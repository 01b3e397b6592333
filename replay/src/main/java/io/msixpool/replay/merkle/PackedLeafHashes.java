package io.msixpool.replay.merkle;

import java.util.Arrays;

/**
 * Leaf hashes kept back to back in one array, 32 bytes a leaf: a million-line log's hashes in 32 MB
 * and one object, where a list of arrays would take half as much again in headers and references.
 */
public final class PackedLeafHashes implements LeafHashes {
    private byte[] hashes;
    private long size;

    public PackedLeafHashes() {
        this(1024);
    }

    public PackedLeafHashes(int expectedLeaves) {
        hashes = new byte[Math.max(1, expectedLeaves) * MerkleHash.SIZE];
    }

    /** Adds the leaf of one exported line (without its newline). */
    public PackedLeafHashes addLine(String line) {
        return add(MerkleHash.leafOfLine(line));
    }

    public PackedLeafHashes add(byte[] leafHash) {
        if (!MerkleHash.wellFormed(leafHash)) {
            throw new IllegalArgumentException("a leaf hash has " + MerkleHash.SIZE + " bytes");
        }
        long end = (size + 1) * MerkleHash.SIZE;
        if (end > hashes.length) {
            hashes = Arrays.copyOf(hashes, Math.toIntExact(Math.min(Integer.MAX_VALUE - 8L, 2L * hashes.length + MerkleHash.SIZE)));
        }
        System.arraycopy(leafHash, 0, hashes, Math.toIntExact(size * MerkleHash.SIZE), MerkleHash.SIZE);
        size++;
        return this;
    }

    /** Forgets every leaf from {@code newSize} on. */
    public void truncate(long newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot cut " + size + " leaves to " + newSize);
        }
        size = newSize;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte[] leafHash(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("leaf " + index + " of " + size);
        }
        int from = Math.toIntExact(index * MerkleHash.SIZE);
        return Arrays.copyOfRange(hashes, from, from + MerkleHash.SIZE);
    }
}
