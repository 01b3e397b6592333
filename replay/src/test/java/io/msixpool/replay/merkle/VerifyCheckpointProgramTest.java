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
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/verify-checkpoint, the Go program docs/event-log.md gives auditors ("Auditing with
 * checkpoints"), built as the docs say and run on our signed checkpoints, a log's lines and proofs
 * in the JSON of GET /v1/proof/consistency: it accepts them, and refuses a tampered proof, swapped
 * sizes, another key, and a log rewritten or cut short. Skipped only without Go (GoPrograms).
 */
@Tag("third-party")
class VerifyCheckpointProgramTest {
    private static final int SIZE = 45;

    @TempDir
    static Path dir;
    static Path program;
    static String buildFailure;
    static List<String> lines;
    static MerkleTree tree;
    static NoteKey key;
    static Path log;

    @BeforeAll
    static void buildTheProgramAndALog() throws IOException, InterruptedException {
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
        key = NoteKey.generate("bus.example/msix");
        log = write("log.jsonl", lines);
        if (GoPrograms.present()) {
            program = dir.resolve("verify-checkpoint");
            buildFailure = GoPrograms.build(Path.of("../docs/verify-checkpoint/main.go"), program);
        }
    }

    @Test
    void itAcceptsOurCheckpointsAndProofs() throws Exception {
        requireGo();
        Path keyFile = Files.writeString(dir.resolve("vkey"), key.verifierKey() + "\n");
        for (long old : List.of(0L, 1L, 8L, 13L, SIZE - 1L, (long) SIZE)) {
            GoPrograms.Run run = GoPrograms.run(program, "@" + keyFile, checkpoint(old), checkpoint(SIZE),
                    proof(old, SIZE, tree.consistencyProof(old, SIZE)));
            assertEquals("ok bus.example/msix: " + SIZE + " events extend " + old + "\n", run.output(), "from " + old);
            assertEquals(0, run.exit());
        }
        for (long size : List.of(0L, 1L, 30L, (long) SIZE)) {
            GoPrograms.Run run = GoPrograms.run(program, key.verifierKey(), checkpoint(size), log);
            assertEquals(0, run.exit(), run.output());
            assertTrue(run.output().startsWith("ok bus.example/msix: the log's first " + size + " lines have the"
                    + " checkpoint's root "), run.output());
        }
    }

    @Test
    void itRefusesATamperedProofSwappedSizesAndAnotherKey() throws Exception {
        requireGo();
        List<byte[]> tampered = new ArrayList<>(tree.consistencyProof(13, SIZE));
        byte[] flipped = tampered.getFirst().clone();
        flipped[0] ^= 1;
        tampered.set(0, flipped);
        assertRefused(GoPrograms.run(program, key.verifierKey(), checkpoint(13), checkpoint(SIZE), proof(13, SIZE, tampered)),
                "invalid transparency proof");
        assertRefused(GoPrograms.run(program, key.verifierKey(), checkpoint(13), checkpoint(SIZE),
                proof(SIZE, 13, tree.consistencyProof(13, SIZE))), "the proof is from " + SIZE + " to 13");
        assertRefused(GoPrograms.run(program, key.verifierKey(), checkpoint(SIZE), checkpoint(13),
                proof(SIZE, 13, tree.consistencyProof(13, SIZE))), "OLD covers more than NEW");
        NoteKey impostor = NoteKey.generate(key.name());
        Path forged = Files.writeString(dir.resolve("forged"), Checkpoint.of(key.name(), tree, SIZE).sign(impostor));
        assertRefused(GoPrograms.run(program, key.verifierKey(), checkpoint(13), forged,
                proof(13, SIZE, tree.consistencyProof(13, SIZE))), "note has no verifiable signatures");
        String signed = Checkpoint.of(key.name(), tree, SIZE).sign(key);
        Path edited = Files.writeString(dir.resolve("edited"), signed.replaceFirst("\n" + SIZE + "\n", "\n" + (SIZE - 1) + "\n"));
        assertRefused(GoPrograms.run(program, key.verifierKey(), checkpoint(13), edited,
                proof(13, SIZE - 1, tree.consistencyProof(13, SIZE - 1))), "invalid signature");
    }

    @Test
    void itFindsALogRewrittenOrCutShort() throws Exception {
        requireGo();
        List<String> rewritten = new ArrayList<>(lines);
        rewritten.set(7, rewritten.get(7).replace("\"actor\":\"", "\"actor\":\"x"));
        assertRefused(GoPrograms.run(program, key.verifierKey(), checkpoint(SIZE), write("rewritten.jsonl", rewritten)),
                "REWRITTEN: the log's first " + SIZE + " lines have root");
        assertRefused(GoPrograms.run(program, key.verifierKey(), checkpoint(SIZE), write("cut.jsonl", lines.subList(0, 40))),
                "TRUNCATED: the log has 40 lines, the checkpoint covers " + SIZE);
    }

    private static void assertRefused(GoPrograms.Run run, String why) {
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().startsWith("FAILED:") && run.output().contains(why), why + ": " + run.output());
    }

    private static Path checkpoint(long size) throws IOException {
        return Files.writeString(dir.resolve("checkpoint-" + size), Checkpoint.of(key.name(), tree, size).sign(key));
    }

    /** The proof as GET /v1/proof/consistency answers it. */
    private static Path proof(long from, long to, List<byte[]> hashes) throws IOException {
        String json = "{\"from\":" + from + ",\"to\":" + to + ",\"hashes\":[" + hashes.stream()
                .map(hash -> "\"" + StrictBase64.encode(hash) + "\"").collect(Collectors.joining(",")) + "]}";
        return Files.writeString(dir.resolve("proof.json"), json);
    }

    private static Path write(String name, List<String> content) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", content) + "\n", StandardCharsets.UTF_8);
    }

    private static void requireGo() {
        GoPrograms.require("VerifyCheckpointProgramTest", buildFailure,
                "docs/verify-checkpoint checks our checkpoints with Go's note and tlog packages");
    }
}
