package io.msixpool.replay.merkle;

import java.util.List;

/**
 * Prints how long the Merkle tree takes over a million export-like lines (not a test: figures are printed,
 * never asserted). Run: java -cp replay/target/classes:replay/target/test-classes io.msixpool.replay.merkle.MerkleTreeBench
 */
final class MerkleTreeBench {
    public static void main(String[] args) {
        int n = 1_000_000;
        String line = "{\"type\":\"VectorsAssigned\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":3,\"msix\":12,\"envelope\":{\"position\":%d,\"sequence\":1,\"timestamp\":\"2026-11-22T03:12:07.118Z\",\"commandId\":null,\"actor\":\"cli:ops\",\"revision\":\"1\",\"prev\":\"%s\",\"hash\":\"%s\"}}";
        String h = "ab".repeat(32);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            PackedLeafHashes leaves = new PackedLeafHashes(n);
            TreeHead head = new TreeHead();
            for (int i = 0; i < n; i++) { byte[] leaf = MerkleHash.leafOfLine(String.format(line, i + 1, h, h)); leaves.add(leaf); head.add(leaf); }
            long t1 = System.nanoTime();
            MerkleTree tree = new MerkleTree(leaves);
            byte[] root = tree.root(n);
            long t2 = System.nanoTime();
            List<byte[]> proof = tree.consistencyProof(n / 3 + 7, n);
            long t3 = System.nanoTime();
            List<byte[]> incl = tree.inclusionProof(123_457, n);
            long t4 = System.nanoTime();
            boolean ok = MerkleTree.verifyConsistency(n / 3 + 7, n, tree.root(n / 3 + 7), root, proof)
                && MerkleTree.verifyInclusion(123_457, n, leaves.leafHash(123_457), incl, root)
                && java.util.Arrays.equals(root, head.root());
            System.out.printf("1M leaves: format+leaf hash+streamed root %d ms; root from packed leaves %d ms; consistency proof %d ms (%d hashes); inclusion proof %d ms; verified %s%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, proof.size(), (t4 - t3) / 1_000_000, ok);
        }
    }
}
