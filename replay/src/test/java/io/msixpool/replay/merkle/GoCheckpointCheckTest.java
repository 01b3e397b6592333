package io.msixpool.replay.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.replay.audit.ChainedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our checkpoints and proofs checked by code we did not write (issue 13, item 6): Go's
 * golang.org/x/mod/sumdb/note opens our signed checkpoints with our verifier key, and its
 * golang.org/x/mod/sumdb/tlog recomputes the root from the log's lines and checks our inclusion and
 * consistency proofs, through src/test/go/checkpointcheck. tlog's proofs are the RFC 6962 audit
 * paths: its own proofs of the same log are ours, hash for hash. And it refuses what was tampered with.
 *
 * <p>Go 1.19 and x/mod come from Debian (golang-go, golang-golang-x-mod-dev: no module proxy needed).
 * Without them each test is skipped saying so; .ci/run installs them and sets MSIX_REQUIRE_GO=1,
 * which makes a missing Go a failure.
 */
@Tag("third-party")
class GoCheckpointCheckTest {
    private static final int SIZE = 37;

    @TempDir
    static Path dir;
    static Path checker;
    static String buildFailure;
    static List<String> lines;
    static MerkleTree tree;
    static NoteKey key;
    static Path log;
    static Path vkey;

    @BeforeAll
    static void buildTheCheckerAndALog() throws IOException, InterruptedException {
        ChainedLog chained = new ChainedLog();
        chained.decide(new ProvisionPf("bf3-a", "nvme0", Emulation.NVME, 4, 64, 2, 32), new OpenPf("bf3-a", "nvme0"),
                new Reclaim("bf3-a", "nvme0"));
        for (int i = 0; chained.lines().size() < SIZE; i++) {
            chained.decide(new AssignVectors("bf3-a", "nvme0", i % 4, 2 + i % 5), new ReleaseVectors("bf3-a", "nvme0", i % 4));
        }
        lines = chained.lines().subList(0, SIZE);
        PackedLeafHashes leaves = new PackedLeafHashes();
        lines.forEach(leaves::addLine);
        tree = new MerkleTree(leaves);
        key = NoteKey.generate(Checkpoint.randomOrigin());
        log = write("log.jsonl", String.join("\n", lines) + "\n");
        vkey = write("vkey", key.verifierKey() + "\n");
        if (GoPrograms.present()) {
            checker = dir.resolve("checkpointcheck");
            buildFailure = GoPrograms.build(Path.of("src/test/go/checkpointcheck/main.go"), checker);
        }
    }

    @Test
    void goOpensOurCheckpointsAndFindsOurRootInTheLogsLines() throws Exception {
        requireGo();
        for (long size : List.of(0L, 1L, 2L, 20L, 32L, (long) SIZE)) {
            GoPrograms.Run check = check("checkpoint", vkey, checkpoint(size), log);
            assertEquals(0, check.exit(), size + ": " + check.output());
            assertTrue(check.output().startsWith("ok checkpoint " + key.name() + " " + size + " "), check.output());
        }
    }

    @Test
    void goVerifiesOurInclusionProofsAndProvesTheSame() throws Exception {
        requireGo();
        Path checkpoint = checkpoint(SIZE);
        for (int index = 0; index < SIZE; index++) {
            List<byte[]> proof = tree.inclusionProof(index, SIZE);
            GoPrograms.Run check = check("inclusion", vkey, checkpoint, index, write("line", lines.get(index) + "\n"), proof(proof));
            assertEquals(0, check.exit(), index + ": " + check.output());
            GoPrograms.Run goProof = check("prove", log, SIZE, index);
            assertEquals(base64(proof), goProof.output(), "tlog's proof of leaf " + index + " is ours");
        }
    }

    @Test
    void goVerifiesOurConsistencyProofsAndProvesTheSame() throws Exception {
        requireGo();
        for (long older = 1; older <= SIZE; older++) {
            List<byte[]> proof = tree.consistencyProof(older, SIZE);
            GoPrograms.Run check = check("consistency", vkey, checkpoint(older), checkpoint(SIZE), proof(proof));
            assertEquals(0, check.exit(), older + ": " + check.output());
            GoPrograms.Run goProof = check("prove-tree", log, SIZE, older);
            assertEquals(base64(proof), goProof.output(), "tlog's proof of " + older + " -> " + SIZE + " is ours");
        }
    }

    @Test
    void goRefusesATamperedCheckpointAWrongRootAndATamperedProof() throws Exception {
        requireGo();
        String signed = Checkpoint.of(key.name(), tree, SIZE).sign(key);
        Path resized = write("resized", signed.replaceFirst("\n" + SIZE + "\n", "\n" + (SIZE - 1) + "\n"));
        assertRefused(check("checkpoint", vkey, resized, log), "invalid signature");

        NoteKey impostor = NoteKey.generate(key.name());
        Path otherKey = write("other-vkey", impostor.verifierKey());
        assertRefused(check("checkpoint", otherKey, checkpoint(SIZE), log), "note.Open");

        String wrongRoot = new Checkpoint(key.name(), SIZE, tree.root(SIZE - 1)).sign(key);
        Path wrong = write("wrong-root", wrongRoot);
        assertRefused(check("checkpoint", vkey, wrong, log), "has root");
        Path line = write("line", lines.get(5) + "\n");
        assertRefused(check("inclusion", vkey, wrong, 5, line, proof(tree.inclusionProof(5, SIZE))), "invalid transparency proof");

        List<byte[]> proof = new ArrayList<>(tree.inclusionProof(5, SIZE));
        byte[] flipped = proof.get(2).clone();
        flipped[0] ^= 8;
        proof.set(2, flipped);
        assertRefused(check("inclusion", vkey, checkpoint(SIZE), 5, line, proof(proof)), "invalid transparency proof");
        assertRefused(check("inclusion", vkey, checkpoint(SIZE), 6, line, proof(tree.inclusionProof(5, SIZE))),
                "invalid transparency proof");
        Path edited = write("edited", lines.get(5).replace("\"nvme0\"", "\"nvme1\"") + "\n");
        assertRefused(check("inclusion", vkey, checkpoint(SIZE), 5, edited, proof(tree.inclusionProof(5, SIZE))),
                "invalid transparency proof");

        List<byte[]> consistency = new ArrayList<>(tree.consistencyProof(20, SIZE));
        consistency.remove(consistency.size() - 1);
        assertRefused(check("consistency", vkey, checkpoint(20), checkpoint(SIZE), proof(consistency)), "invalid transparency proof");
        assertRefused(check("consistency", vkey, checkpoint(21), checkpoint(SIZE), proof(tree.consistencyProof(20, SIZE))),
                "invalid transparency proof");
    }

    private static void assertRefused(GoPrograms.Run check, String why) {
        assertEquals(1, check.exit(), check.output());
        assertTrue(check.output().startsWith("FAILED:") && check.output().contains(why), check.output());
    }

    private static Path checkpoint(long size) throws IOException {
        return write("checkpoint-" + size, Checkpoint.of(key.name(), tree, size).sign(key));
    }

    private static Path proof(List<byte[]> proof) throws IOException {
        return write("proof", base64(proof));
    }

    private static String base64(List<byte[]> proof) {
        StringBuilder text = new StringBuilder();
        proof.forEach(hash -> text.append(Base64.getEncoder().encodeToString(hash)).append('\n'));
        return text.toString();
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static GoPrograms.Run check(Object... args) throws IOException, InterruptedException {
        return GoPrograms.run(checker, args);
    }

    private static void requireGo() {
        GoPrograms.require("GoCheckpointCheckTest", buildFailure, "our checkpoints are checked by Go's note and tlog packages");
    }
}
