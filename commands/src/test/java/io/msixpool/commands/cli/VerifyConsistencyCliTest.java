package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.MerkleTree;
import io.msixpool.replay.merkle.NoteKey;
import io.msixpool.replay.merkle.PackedLeafHashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msix verify-consistency OLD NEW PROOF --key VKEY} as a real process on real files: the
 * checkpoints a log signs over the lines of a real export (golden/export.jsonl, what msix export
 * writes for every event type) and proofs in the JSON of GET /v1/proof/consistency. A valid proof
 * passes; a tampered hash, swapped sizes, another key and a forked history fail with exit 1 and why.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class VerifyConsistencyCliTest {
    @TempDir
    static Path dir;
    private static List<String> lines;
    private static MerkleTree tree;
    private static NoteKey key;

    @BeforeAll
    static void aRealExportAndItsLogsKey() throws IOException {
        try (var in = VerifyConsistencyCliTest.class.getResourceAsStream("/golden/export.jsonl")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        PackedLeafHashes leaves = new PackedLeafHashes();
        lines.forEach(leaves::addLine);
        tree = new MerkleTree(leaves);
        key = NoteKey.generate("bus.example/msix");
    }

    @Test
    void aNewerCheckpointWithItsProofExtendsTheOlderOne() throws IOException {
        int size = lines.size();
        for (int old : List.of(0, 1, 7, 8, 16, size - 1, size)) {
            MsixProcess.Result result = verify(checkpoint(old), checkpoint(size), proof(old, size, tree.consistencyProof(old, size)),
                    "--key", key.verifierKey());
            assertEquals(0, result.exitCode(), () -> old + ": " + describe(result));
            assertEquals(String.format("NEW extends OLD: the log bus.example/msix of %d events holds the %d events of %s"
                    + " as its first, unchanged", size, old, checkpoint(old)), result.out().strip());
        }
        Path keyFile = Files.writeString(dir.resolve("verifier.key"), key.verifierKey() + "\n");
        MsixProcess.Result json = verify(checkpoint(9), checkpoint(size), proof(9, size, tree.consistencyProof(9, size)),
                "--key", "@" + keyFile, "--json");
        assertEquals(0, json.exitCode(), () -> describe(json));
        ObjectNode answer = CliRuns.object(json.out().strip());
        assertTrue(answer.path("ok").asBoolean(), answer::toString);
        assertEquals("bus.example/msix", answer.path("origin").asText());
        assertEquals(9, answer.path("old").path("size").asLong());
        assertEquals(base64(tree.root(9)), answer.path("old").path("root").asText());
        assertEquals(size, answer.path("new").path("size").asLong());
        assertEquals(base64(tree.root(size)), answer.path("new").path("root").asText());
    }

    @Test
    void aTamperedProofHashIsRefused() throws IOException {
        int size = lines.size();
        for (int which = 0; which < tree.consistencyProof(9, size).size(); which++) {
            List<byte[]> proof = new ArrayList<>(tree.consistencyProof(9, size));
            byte[] flipped = proof.get(which).clone();
            flipped[31] ^= 1;
            proof.set(which, flipped);
            assertFails(verify(checkpoint(9), checkpoint(size), proof(9, size, proof), "--key", key.verifierKey()),
                    "NEW does not extend OLD: proof " + dir.resolve("proof.json") + " does not link the root of OLD's 9 events");
        }
        List<byte[]> shorter = new ArrayList<>(tree.consistencyProof(9, size));
        shorter.removeLast();
        assertFails(verify(checkpoint(9), checkpoint(size), proof(9, size, shorter), "--key", key.verifierKey()),
                "NEW does not extend OLD");
    }

    @Test
    void swappedSizesAreRefused() throws IOException {
        int size = lines.size();
        List<byte[]> proof = tree.consistencyProof(9, size);
        assertFails(verify(checkpoint(9), checkpoint(size), proof(size, 9, proof), "--key", key.verifierKey()),
                "is from " + size + " to 9, the checkpoints are of 9 and " + size + " events: fetch"
                        + " /v1/proof/consistency?from=9&to=" + size);
        assertFails(verify(checkpoint(size), checkpoint(9), proof(9, size, proof), "--key", key.verifierKey()),
                "covers " + size + " events, NEW " + checkpoint(9) + " only 9: a newer checkpoint never covers fewer"
                        + " (are OLD and NEW swapped?)");
        // The right sizes with the proof of other ones: the hashes do not link the roots.
        assertFails(verify(checkpoint(10), checkpoint(size), proof(10, size, proof), "--key", key.verifierKey()),
                "NEW does not extend OLD");
    }

    @Test
    void checkpointsSignedByAnotherKeyOrOfAnotherLogAreRefused() throws IOException {
        int size = lines.size();
        Path proof = proof(9, size, tree.consistencyProof(9, size));
        NoteKey impostor = NoteKey.generate(key.name());
        Path forged = Files.writeString(dir.resolve("cp-forged.txt"), Checkpoint.of(key.name(), tree, size).sign(impostor));
        assertFails(verify(checkpoint(9), forged, proof, "--key", key.verifierKey()),
                "checkpoint " + forged + " is refused: the note has no signature by " + key.name() + "+" + key.keyIdHex());

        NoteKey otherLog = NoteKey.generate("other.example/log");
        assertFails(verify(checkpoint(9), checkpoint(size), proof, "--key", otherLog.verifierKey()),
                "the checkpoint says it is of log bus.example/msix, the key is of log other.example/log");
    }

    @Test
    void aForkedHistorySignedByTheLogsOwnKeyIsRefused() throws IOException {
        List<String> forked = new ArrayList<>(lines);
        forked.set(3, forked.get(3).replace("\"actor\":\"", "\"actor\":\"x"));
        assertTrue(!forked.get(3).equals(lines.get(3)), forked.get(3));
        PackedLeafHashes leaves = new PackedLeafHashes();
        forked.forEach(leaves::addLine);
        MerkleTree forkedTree = new MerkleTree(leaves);
        int size = lines.size();
        Path forkedCheckpoint = Files.writeString(dir.resolve("cp-forked.txt"), Checkpoint.of(key.name(), forkedTree, size)
                .sign(key));
        for (MerkleTree proving : List.of(tree, forkedTree)) {
            assertFails(verify(checkpoint(9), forkedCheckpoint, proof(9, size, proving.consistencyProof(9, size)),
                    "--key", key.verifierKey()), "NEW does not extend OLD");
        }
    }

    @Test
    void unreadableFilesExit1AndBadUsage2() throws IOException {
        int size = lines.size();
        Path proof = proof(9, size, tree.consistencyProof(9, size));
        assertFails(verify(dir.resolve("none.txt"), checkpoint(size), proof, "--key", key.verifierKey()),
                "checkpoint " + dir.resolve("none.txt") + ": no such file or directory");
        Path notJson = Files.writeString(dir.resolve("not-json.json"), "{\"from\":9,");
        assertFails(verify(checkpoint(9), checkpoint(size), notJson, "--key", key.verifierKey()),
                "is not the JSON of GET /v1/proof/consistency");
        Path badHash = Files.writeString(dir.resolve("bad-hash.json"), "{\"from\":9,\"to\":" + size + ",\"hashes\":[\"AAAA\"]}");
        assertFails(verify(checkpoint(9), checkpoint(size), badHash, "--key", key.verifierKey()), "hash 0 is not 32 bytes");
        Path sizeAsText = Files.writeString(dir.resolve("text-size.json"), "{\"from\":\"9\",\"to\":" + size + ",\"hashes\":[]}");
        assertFails(verify(checkpoint(9), checkpoint(size), sizeAsText, "--key", key.verifierKey()),
                "\"from\" is not a tree size");

        MsixProcess.Result json = MsixProcess.run("", "verify-consistency", checkpoint(9).toString(),
                checkpoint(size).toString(), notJson.toString(), "--key", key.verifierKey(), "--json");
        assertEquals(1, json.exitCode(), () -> describe(json));
        ObjectNode answer = CliRuns.object(json.out().strip());
        assertTrue(!answer.path("ok").asBoolean() && answer.path("message").asText().contains("is not the JSON"), answer::toString);

        MsixProcess.Result help = MsixProcess.run("", "verify-consistency", "--help");
        assertEquals(0, help.exitCode(), () -> describe(help));
        assertTrue(help.out().startsWith("Usage: msix verify-consistency [-hV] [--json] --key=VKEY OLD NEW PROOF"), help.out());
        MsixProcess.Result noKey = MsixProcess.run("", "verify-consistency", checkpoint(9).toString(),
                checkpoint(size).toString(), proof.toString());
        assertEquals(2, noKey.exitCode(), () -> describe(noKey));
        assertTrue(noKey.err().contains("Missing required option: '--key=VKEY'"), () -> describe(noKey));
        MsixProcess.Result noProof = MsixProcess.run("", "verify-consistency", checkpoint(9).toString(),
                checkpoint(size).toString(), "--key", key.verifierKey());
        assertEquals(2, noProof.exitCode(), () -> describe(noProof));
        MsixProcess.Result badKey = verify(checkpoint(9), checkpoint(size), proof, "--key", "bus.example/msix+00+AAAA");
        assertEquals(2, badKey.exitCode(), () -> describe(badKey));
        assertTrue(badKey.err().contains("--key not a verifier key"), () -> describe(badKey));
    }

    private static Path checkpoint(int size) throws IOException {
        Path file = dir.resolve("cp-" + size + ".txt");
        if (Files.notExists(file)) {
            Files.writeString(file, Checkpoint.of(key.name(), tree, size).sign(key));
        }
        return file;
    }

    /** The proof as GET /v1/proof/consistency answers it. */
    private static Path proof(long from, long to, List<byte[]> hashes) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", from);
        json.put("to", to);
        json.put("hashes", hashes.stream().map(VerifyConsistencyCliTest::base64).toList());
        return Files.writeString(dir.resolve("proof.json"), CliRuns.JSON.writeValueAsString(json));
    }

    private static MsixProcess.Result verify(Path old, Path latest, Path proof, String... options) {
        List<String> command = new ArrayList<>(List.of("verify-consistency", old.toString(), latest.toString(), proof.toString()));
        command.addAll(List.of(options));
        return MsixProcess.run("", command.toArray(String[]::new));
    }

    private static void assertFails(MsixProcess.Result result, String says) {
        assertEquals(1, result.exitCode(), () -> describe(result));
        assertEquals("", result.out(), "nothing on standard output without --json");
        assertTrue(result.err().contains("msix: ") && result.err().contains(says), () -> says + ": " + describe(result));
    }

    private static String base64(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }
}
