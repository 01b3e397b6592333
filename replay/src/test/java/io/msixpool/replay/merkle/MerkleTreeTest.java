package io.msixpool.replay.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9162 section 2.1 against vectors we did not compute: transparency-dev/merkle's (the test
 * resource names its source) and real responses of a Certificate Transparency log; then our own
 * proofs of every small tree against our verifiers, and each kind of tampering refused.
 */
class MerkleTreeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final JsonNode VECTORS = json("/merkle/transparency-dev-vectors.json");
    private static final MerkleTree EIGHT = new MerkleTree(LeafHashes.of(leaves(8)));

    @Test
    void theHasherGivesTheRfcsLeafNodeAndEmptyHashes() {
        JsonNode hasher = VECTORS.get("hasher");
        assertEquals(hasher.get("emptyRoot").asText(), HEX.formatHex(MerkleHash.emptyRoot()));
        assertEquals(hasher.get("emptyLeaf").asText(), HEX.formatHex(MerkleHash.leaf(new byte[0])));
        assertEquals(hasher.get("leafL123456").asText(), HEX.formatHex(MerkleHash.leafOfLine("L123456")));
        assertEquals(hasher.get("nodeN123N456").asText(), HEX.formatHex(MerkleHash.node(
                "N123".getBytes(StandardCharsets.US_ASCII), "N456".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void theRootOfEachPrefixIsThePublishedOne() {
        TreeHead head = new TreeHead();
        assertArrayEquals(MerkleHash.emptyRoot(), EIGHT.root(0));
        assertArrayEquals(MerkleHash.emptyRoot(), head.root());
        for (int size = 1; size <= 8; size++) {
            head.add(leaves(8).get(size - 1));
            String expected = VECTORS.get("roots").get(size - 1).asText();
            assertEquals(expected, HEX.formatHex(EIGHT.root(size)), "MTH of " + size + " leaves");
            assertEquals(expected, HEX.formatHex(head.root()), "the streamed root of " + size + " leaves");
        }
    }

    @Test
    void inclusionProofsAreThePublishedOnesAndVerify() {
        for (JsonNode vector : VECTORS.get("inclusionProofs")) {
            long leaf = vector.get("leaf").asLong();
            long size = vector.get("size").asLong();
            List<byte[]> published = hashes(vector.get("proof"));
            String what = "leaf " + leaf + " of " + size;

            assertEquals(hex(published), hex(EIGHT.inclusionProof(leaf, size)), what);
            byte[] root = EIGHT.root(size);
            byte[] leafHash = leaves(8).get((int) leaf);
            assertTrue(MerkleTree.verifyInclusion(leaf, size, leafHash, published, root), what);
            for (Probe<List<byte[]>> probe : tamperedInclusion(leaf, size, leafHash, published, root)) {
                assertFalse(MerkleTree.verifyInclusion(probe.index, probe.size, probe.leafHash, probe.proof, probe.root),
                        what + ": " + probe.description);
            }
        }
    }

    @Test
    void consistencyProofsAreThePublishedOnesAndVerify() {
        for (JsonNode vector : VECTORS.get("consistencyProofs")) {
            long size1 = vector.get("size1").asLong();
            long size2 = vector.get("size2").asLong();
            List<byte[]> published = hashes(vector.get("proof"));
            String what = size1 + " -> " + size2;

            assertEquals(hex(published), hex(EIGHT.consistencyProof(size1, size2)), what);
            byte[] root1 = EIGHT.root(size1);
            byte[] root2 = EIGHT.root(size2);
            assertTrue(MerkleTree.verifyConsistency(size1, size2, root1, root2, published), what);
            if (!published.isEmpty()) {
                for (Probe<List<byte[]>> probe : tamperedConsistency(size1, size2, root1, root2, published)) {
                    assertFalse(MerkleTree.verifyConsistency(probe.index, probe.size, probe.leafHash, probe.root, probe.proof),
                            what + ": " + probe.description);
                }
            }
        }
    }

    @Test
    void edgeCasesOfConsistencyAreTheReferencesAnswers() {
        byte[] a = MerkleHash.leafOfLine("a");
        byte[] b = MerkleHash.leafOfLine("b");
        byte[] empty = MerkleHash.emptyRoot();
        assertTrue(MerkleTree.verifyConsistency(0, 0, a, a, List.of()), "sizes that are always consistent");
        assertTrue(MerkleTree.verifyConsistency(0, 1, a, b, List.of()));
        assertTrue(MerkleTree.verifyConsistency(1, 1, b, b, List.of()));
        assertFalse(MerkleTree.verifyConsistency(0, 0, a, b, List.of()), "the same size, other roots");
        assertFalse(MerkleTree.verifyConsistency(1, 1, a, b, List.of()));
        assertFalse(MerkleTree.verifyConsistency(1, 0, a, b, List.of()), "time travel to the past");
        assertFalse(MerkleTree.verifyConsistency(2, 1, a, b, List.of()));
        assertFalse(MerkleTree.verifyConsistency(1, 2, a, b, List.of()), "an empty proof");
        assertFalse(MerkleTree.verifyConsistency(0, 0, empty, empty, List.of(empty)), "roots match, the proof is not empty");
        assertFalse(MerkleTree.verifyConsistency(0, 1, empty, empty, List.of(empty)));
        assertFalse(MerkleTree.verifyConsistency(1, 1, empty, empty, List.of(empty)));
        assertFalse(MerkleTree.verifyInclusion(0, 0, a, List.of(), empty), "no leaf is in the empty tree");
        assertFalse(MerkleTree.verifyInclusion(1, 1, a, List.of(), a), "a leaf beyond the tree");
        assertTrue(MerkleTree.verifyInclusion(0, 1, a, List.of(), a), "a tree of one leaf is its leaf");
        assertFalse(MerkleTree.verifyInclusion(0, 1, a, List.of(), new byte[0]), "a root of the wrong length");
    }

    /** A leaf and a consistency proof of Google's Argon 2020 log: a real RFC 6962 tree of 961,984,013 certificates. */
    @Test
    void realProofsOfACertificateTransparencyLogVerify() {
        JsonNode sth = json("/merkle/argon2020/sth.json");
        long size = sth.get("tree_size").asLong();
        byte[] root = Base64.getDecoder().decode(sth.get("sha256_root_hash").asText());
        byte[] leafHash = MerkleHash.leaf(Base64.getDecoder().decode(
                json("/merkle/argon2020/entries.json").get("entries").get(0).get("leaf_input").asText()));
        List<byte[]> auditPath = base64(json("/merkle/argon2020/proof.json").get("audit_path"));
        List<byte[]> consistency = base64(json("/merkle/argon2020/consistency.json").get("consistency"));
        byte[] oldRoot = Base64.getDecoder().decode("AuIZ5V6sDUj1vn3Y1K85oOaQ7y+FJJKtyRTl1edIKBQ=");

        assertTrue(MerkleTree.verifyInclusion(10000, size, leafHash, auditPath, root));
        assertTrue(MerkleTree.verifyConsistency(3654490, size, oldRoot, root, consistency));
        for (Probe<List<byte[]>> probe : tamperedInclusion(10000, size, leafHash, auditPath, root)) {
            assertFalse(MerkleTree.verifyInclusion(probe.index, probe.size, probe.leafHash, probe.proof, probe.root), probe.description);
        }
        for (Probe<List<byte[]>> probe : tamperedConsistency(3654490, size, oldRoot, root, consistency)) {
            assertFalse(MerkleTree.verifyConsistency(probe.index, probe.size, probe.leafHash, probe.root, probe.proof), probe.description);
        }
    }

    /** Every proof of every tree up to 70 leaves verifies, and fails for the neighbouring leaf or size. */
    @Test
    void everyProofOfEverySmallTreeVerifies() {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(MerkleHash.leafOfLine("{\"line\":" + i + "}"));
        }
        MerkleTree tree = new MerkleTree(LeafHashes.of(leaves));
        for (long size = 1; size <= 70; size++) {
            byte[] root = tree.root(size);
            for (long leaf = 0; leaf < size; leaf++) {
                List<byte[]> proof = tree.inclusionProof(leaf, size);
                assertTrue(MerkleTree.verifyInclusion(leaf, size, leaves.get((int) leaf), proof, root), leaf + " of " + size);
                if (size > 1) {
                    long other = (leaf + 1) % size;
                    assertFalse(MerkleTree.verifyInclusion(other, size, leaves.get((int) leaf), proof, root));
                    assertFalse(MerkleTree.verifyInclusion(leaf, size, leaves.get((int) other), proof, root));
                }
            }
            for (long old = 1; old < size; old++) {
                List<byte[]> proof = tree.consistencyProof(old, size);
                byte[] oldRoot = tree.root(old);
                assertTrue(MerkleTree.verifyConsistency(old, size, oldRoot, root, proof), old + " -> " + size);
                byte[] otherOldRoot = tree.root(old == 1 ? 2 : old - 1);
                assertFalse(MerkleTree.verifyConsistency(old, size, otherOldRoot, root, proof), old + " -> " + size + ", another old root");
                assertFalse(MerkleTree.verifyConsistency(old, size, root, oldRoot, proof), "swapped roots");
            }
        }
    }

    @Test
    void proofsOutsideTheTreeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EIGHT.root(9));
        assertThrows(IllegalArgumentException.class, () -> EIGHT.inclusionProof(8, 8));
        assertThrows(IllegalArgumentException.class, () -> EIGHT.inclusionProof(-1, 8));
        assertThrows(IllegalArgumentException.class, () -> EIGHT.consistencyProof(5, 4));
        assertThrows(IllegalArgumentException.class, () -> EIGHT.consistencyProof(1, 9));
        assertEquals(List.of(), EIGHT.consistencyProof(0, 8));
        assertEquals(List.of(), EIGHT.consistencyProof(8, 8));
    }

    @Test
    void packedLeavesGiveTheSameTreeAsAList() {
        PackedLeafHashes packed = new PackedLeafHashes(1);
        for (byte[] leaf : leaves(8)) {
            packed.add(leaf);
        }
        MerkleTree tree = new MerkleTree(packed);
        assertEquals(8, tree.size());
        for (int size = 1; size <= 8; size++) {
            assertArrayEquals(EIGHT.root(size), tree.root(size));
        }
        assertEquals(hex(EIGHT.consistencyProof(3, 7)), hex(tree.consistencyProof(3, 7)));
        assertThrows(IllegalArgumentException.class, () -> packed.add(new byte[31]));
    }

    /** One tampered input of a verification; index/size are size1/size2 and leafHash/root root1/root2 for consistency. */
    record Probe<P>(String description, long index, long size, byte[] leafHash, P proof, byte[] root) {
    }

    /** The tamperings of transparency-dev/merkle's corruptInclusionProof (proof/verify_test.go). */
    static List<Probe<List<byte[]>>> tamperedInclusion(long leaf, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        byte[] someHash = HEX.parseHex("abacaba000000000000000000000000000000000000000000060061e00123456");
        List<Probe<List<byte[]>>> probes = new ArrayList<>(List.of(
                new Probe<>("leaf - 1", leaf - 1, size, leafHash, proof, root),
                new Probe<>("leaf + 1", leaf + 1, size, leafHash, proof, root),
                new Probe<>("leaf ^ 2", leaf ^ 2, size, leafHash, proof, root),
                new Probe<>("size * 2", leaf, size * 2, leafHash, proof, root),
                new Probe<>("size / 2", leaf, size / 2, leafHash, proof, root),
                new Probe<>("wrong leaf", leaf, size, "WrongLeaf".getBytes(StandardCharsets.US_ASCII), proof, root),
                new Probe<>("wrong leaf of the right length", leaf, size, MerkleHash.leafOfLine("x"), proof, root),
                new Probe<>("empty root", leaf, size, leafHash, proof, MerkleHash.emptyRoot()),
                new Probe<>("random root", leaf, size, leafHash, proof, someHash),
                new Probe<>("trailing garbage", leaf, size, leafHash, with(proof, proof.size(), new byte[0]), root),
                new Probe<>("trailing root", leaf, size, leafHash, with(proof, proof.size(), root), root),
                new Probe<>("preceding garbage", leaf, size, leafHash, with(proof, 0, new byte[0]), root),
                new Probe<>("preceding root", leaf, size, leafHash, with(proof, 0, root), root)));
        for (int i = 0; i < proof.size(); i++) {
            probes.add(new Probe<>("proof[" + i + "] bit 3 flipped", leaf, size, leafHash, flipped(proof, i, 8), root));
        }
        if (!proof.isEmpty()) {
            probes.add(new Probe<>("removed component", leaf, size, leafHash, proof.subList(0, proof.size() - 1), root));
        }
        if (proof.size() > 1) {
            probes.add(new Probe<>("inserted component", leaf, size, leafHash, with(proof, 1, someHash), root));
        }
        return probes;
    }

    /** The tamperings of transparency-dev/merkle's corruptConsistencyProof (proof/verify_test.go). */
    static List<Probe<List<byte[]>>> tamperedConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        byte[] wrongRoot = "WrongRoot".getBytes(StandardCharsets.US_ASCII);
        List<Probe<List<byte[]>>> probes = new ArrayList<>(List.of(
                new Probe<>("size1 - 1", size1 - 1, size2, root1, proof, root2),
                new Probe<>("size1 + 1", size1 + 1, size2, root1, proof, root2),
                new Probe<>("size1 ^ 2", size1 ^ 2, size2, root1, proof, root2),
                new Probe<>("size2 * 2", size1, size2 * 2, root1, proof, root2),
                new Probe<>("size2 / 2", size1, size2 / 2, root1, proof, root2),
                new Probe<>("wrong root1", size1, size2, wrongRoot, proof, root2),
                new Probe<>("wrong root2", size1, size2, root1, proof, wrongRoot),
                new Probe<>("another root1 of the right length", size1, size2, MerkleHash.leafOfLine("x"), proof, root2),
                new Probe<>("swapped roots", size1, size2, root2, proof, root1),
                new Probe<>("empty proof", size1, size2, root1, List.of(), root2),
                new Probe<>("trailing garbage", size1, size2, root1, with(proof, proof.size(), new byte[0]), root2),
                new Probe<>("trailing root1", size1, size2, root1, with(proof, proof.size(), root1), root2),
                new Probe<>("trailing root2", size1, size2, root1, with(proof, proof.size(), root2), root2),
                new Probe<>("preceding garbage", size1, size2, root1, with(proof, 0, new byte[0]), root2),
                new Probe<>("preceding root1", size1, size2, root1, with(proof, 0, root1), root2),
                new Probe<>("preceding root2", size1, size2, root1, with(proof, 0, root2), root2),
                new Probe<>("preceding proof[0]", size1, size2, root1, with(proof, 0, proof.get(0)), root2),
                new Probe<>("truncated proof", size1, size2, root1, proof.subList(0, proof.size() - 1), root2)));
        for (int i = 0; i < proof.size(); i++) {
            probes.add(new Probe<>("proof[" + i + "] bit 4 flipped", size1, size2, root1, flipped(proof, i, 16), root2));
        }
        return probes;
    }

    private static List<byte[]> with(List<byte[]> proof, int at, byte[] hash) {
        List<byte[]> changed = new ArrayList<>(proof);
        changed.add(at, hash);
        return changed;
    }

    private static List<byte[]> flipped(List<byte[]> proof, int at, int bit) {
        List<byte[]> changed = new ArrayList<>(proof);
        byte[] hash = proof.get(at).clone();
        hash[0] ^= (byte) bit;
        changed.set(at, hash);
        return changed;
    }

    static List<byte[]> leaves(int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(MerkleHash.leaf(HEX.parseHex(VECTORS.get("leaves").get(i).asText())));
        }
        return leaves;
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> hashes = new ArrayList<>();
        array.forEach(hash -> hashes.add(HEX.parseHex(hash.asText())));
        return hashes;
    }

    private static List<byte[]> base64(JsonNode array) {
        List<byte[]> hashes = new ArrayList<>();
        array.forEach(hash -> hashes.add(Base64.getDecoder().decode(hash.asText())));
        return hashes;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    static JsonNode json(String resource) {
        try (InputStream in = MerkleTreeTest.class.getResourceAsStream(resource)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(resource, e);
        }
    }
}
