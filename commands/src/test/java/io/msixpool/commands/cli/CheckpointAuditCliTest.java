package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import io.msixpool.replay.Chain;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.MerkleTree;
import io.msixpool.replay.merkle.NoteKey;
import io.msixpool.replay.merkle.PackedLeafHashes;
import io.msixpool.replay.merkle.SignedNote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msix audit --checkpoint FILE --key VKEY} (issue 13, item 5) as real processes on what the
 * engine wrote: a store's real export, and checkpoints signed over its lines as the log signs them
 * (RFC 9162 tree, C2SP signed note). A log that extends the checkpoint passes; a history rewritten
 * with every chain hash recomputed, which the chain audit finds clean, is REWRITTEN; a log without its
 * newest events is TRUNCATED at the first line missing; checkpoints that are not the log's are refused.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CheckpointAuditCliTest {
    @TempDir
    static Path dir;
    private static String store;
    private static List<String> lines;
    private static Path log;
    private static NoteKey key;
    private static MerkleTree tree;
    private static int covered;

    @BeforeAll
    static void aRealExportAndItsLogsKey() throws IOException {
        store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        String commands = String.join("\n", MsixProcess.run("", "generate", "--count", "300", "--devices", "2",
                "--vfs", "8").lines()) + "\n";
        MsixProcess.Result applied = MsixProcess.run(commands, "apply", "--store", store);
        assertEquals(0, applied.exitCode(), () -> describe(applied));
        MsixProcess.Result exported = MsixProcess.run("", "export", "--store", store);
        assertEquals(0, exported.exitCode(), () -> describe(exported));
        lines = exported.lines();
        log = Files.writeString(dir.resolve("log.jsonl"), exported.out());
        assertTrue(lines.size() > 200, "a real history: " + lines.size() + " events");
        key = NoteKey.generate(Checkpoint.randomOrigin());
        PackedLeafHashes leaves = new PackedLeafHashes();
        lines.forEach(leaves::addLine);
        tree = new MerkleTree(leaves);
        covered = lines.size() - 40;  // the checkpoint the auditor kept, 40 events ago
    }

    @Test
    void aLogThatExtendsTheCheckpointPassesFromTheFileAndTheStore() throws IOException {
        Path checkpoint = checkpoint("cp-old.txt", covered);
        MsixProcess.Result text = audit(log.toString(), "--checkpoint", checkpoint.toString(), "--key", key.verifierKey());
        assertEquals(0, text.exitCode(), () -> describe(text));
        List<String> out = text.lines();
        assertTrue(out.getFirst().endsWith(": clean (chain intact, every decision valid, I1-I5 hold after every event)"),
                out.getFirst());
        assertEquals(String.format("checkpoint of %s: the log extends it (%,d of its %,d lines covered, their root %s)",
                key.name(), covered, lines.size(), base64(tree.root(covered))), out.get(1));

        Path keyFile = Files.writeString(dir.resolve("verifier.key"), key.verifierKey() + "\n");
        for (String source : List.of(log.toString(), "--store=" + store)) {
            for (int size : List.of(0, 1, covered, lines.size())) {
                MsixProcess.Result json = audit(source, "--json", "--checkpoint", checkpoint("cp-" + size, size).toString(),
                        "--key", "@" + keyFile);
                assertEquals(0, json.exitCode(), () -> source + " " + size + ": " + describe(json));
                ObjectNode answer = CliRuns.object(json.out().strip());
                assertTrue(answer.path("ok").asBoolean(), answer::toString);
                assertEquals(0, answer.path("findings").size(), answer::toString);
                JsonNode standing = answer.path("checkpoint");
                assertEquals("EXTENDS", standing.path("outcome").asText(), answer::toString);
                assertEquals(size, standing.path("size").asLong());
                assertEquals(lines.size(), standing.path("lines").asLong());
                assertEquals(key.name(), standing.path("origin").asText());
            }
        }
    }

    @Test
    void aHistoryRewrittenWithEveryChainHashRecomputedPassesTheChainButIsRewritten() throws IOException {
        int target = indexOf("\"type\":\"VectorsAssigned\"", 20);
        Path rewritten = write("rewritten.jsonl", rewrite(lines, target));
        MsixProcess.Result chainOnly = audit(rewritten.toString());
        assertEquals(0, chainOnly.exitCode(), () -> "the chain audit cannot see it: " + describe(chainOnly));

        Path checkpoint = checkpoint("cp-before-rewrite.txt", covered);
        MsixProcess.Result json = audit(rewritten.toString(), "--json", "--checkpoint", checkpoint.toString(),
                "--key", key.verifierKey());
        assertEquals(1, json.exitCode(), () -> describe(json));
        ObjectNode answer = CliRuns.object(json.out().strip());
        assertEquals(1, answer.path("findings").size(), answer::toString);
        JsonNode finding = answer.path("findings").get(0);
        assertEquals("REWRITTEN", finding.path("rule").asText(), finding::toString);
        assertTrue(finding.path("line").isNull() && finding.path("position").isNull(),
                "a root cannot say which line differs, so none is named: " + finding);
        assertTrue(finding.path("message").asText().contains("one or more of lines 1.." + covered + " (leaves 0.."
                + (covered - 1) + ") differ"), finding::toString);
        assertEquals("REWRITTEN", answer.path("checkpoint").path("outcome").asText());

        MsixProcess.Result text = audit(rewritten.toString(), "--checkpoint", checkpoint.toString(), "--key", key.verifierKey());
        assertEquals(1, text.exitCode(), () -> describe(text));
        assertTrue(text.lines().getFirst().endsWith(": 1 finding"), text.out());
        assertTrue(text.lines().get(1).startsWith("REWRITTEN: the log's first " + String.format("%,d", covered)
                + " lines do not have the root of the checkpoint of " + key.name()), text.out());

        Path report = dir.resolve("rewritten.html");
        MsixProcess.Result html = audit(rewritten.toString(), "--checkpoint", checkpoint.toString(), "--key", key.verifierKey(),
                "--html", report.toString());
        assertEquals(1, html.exitCode(), () -> describe(html));
        String page = Files.readString(report);
        assertTrue(page.contains("<td class=\"n\">-</td><td class=\"n\">-</td><td></td><td></td><td class=\"rule\">REWRITTEN</td>"),
                "the finding's row names no position and no line");

        // A rewrite after the lines the checkpoint covers is not its business: the log still extends it.
        Path later = write("rewritten-later.jsonl", rewrite(lines, indexOf("\"type\":\"VectorsAssigned\"", covered)));
        MsixProcess.Result beyond = audit(later.toString(), "--checkpoint", checkpoint.toString(), "--key", key.verifierKey());
        assertEquals(0, beyond.exitCode(), () -> describe(beyond));
    }

    @Test
    void aLogWithoutItsNewestEventsIsTruncatedAtTheFirstLineMissing() throws IOException {
        int kept = cleanCutBefore(lines.size() - 25);
        Path truncated = write("truncated.jsonl", lines.subList(0, kept));
        MsixProcess.Result chainOnly = audit(truncated.toString());
        assertEquals(0, chainOnly.exitCode(), () -> "the chain audit cannot see it: " + describe(chainOnly));

        Path checkpoint = checkpoint("cp-all.txt", lines.size());
        MsixProcess.Result json = audit(truncated.toString(), "--json", "--checkpoint", checkpoint.toString(),
                "--key", key.verifierKey());
        assertEquals(1, json.exitCode(), () -> describe(json));
        ObjectNode answer = CliRuns.object(json.out().strip());
        assertEquals(1, answer.path("findings").size(), answer::toString);
        JsonNode finding = answer.path("findings").get(0);
        assertEquals("TRUNCATED", finding.path("rule").asText(), finding::toString);
        assertEquals(kept + 1, finding.path("line").asLong(), "the first line missing: " + finding);
        assertTrue(finding.path("position").isNull(), finding::toString);
        assertTrue(finding.path("message").asText().startsWith(String.format("the log has %,d lines, the checkpoint of %s"
                + " covered %,d: %,d are missing, from leaf %d (line %d) on", kept, key.name(), lines.size(),
                lines.size() - kept, kept, kept + 1)), finding::toString);
        assertEquals(kept, answer.path("checkpoint").path("lines").asLong());

        MsixProcess.Result text = audit(truncated.toString(), "--checkpoint", checkpoint.toString(), "--key", key.verifierKey());
        assertEquals(1, text.exitCode(), () -> describe(text));
        assertTrue(text.lines().get(1).startsWith("line " + (kept + 1) + " TRUNCATED: the log has "), text.out());
    }

    @Test
    void checkpointsThatAreNotTheLogsAreRefusedWithExit1() throws IOException {
        String signed = Checkpoint.of(key.name(), tree, covered).sign(key);

        NoteKey impostor = NoteKey.generate(key.name());
        Path byImpostor = Files.writeString(dir.resolve("cp-impostor.txt"), Checkpoint.of(key.name(), tree, covered)
                .sign(impostor));
        assertRefused(byImpostor, key.verifierKey(), "is refused: the note has no signature by " + key.name() + "+"
                + key.keyIdHex());

        Path edited = Files.writeString(dir.resolve("cp-edited.txt"), signed.replaceFirst("\n" + covered + "\n",
                "\n" + (covered - 1) + "\n"));
        assertRefused(edited, key.verifierKey(), "is not valid: the note was changed after it was signed");

        NoteKey otherLog = NoteKey.generate("other.example/log");
        assertRefused(checkpoint("cp-ours.txt", covered), otherLog.verifierKey(), "the checkpoint says it is of log "
                + key.name() + ", the key is of log other.example/log");

        // Signed by the log's key, but naming another log: a checkpoint's origin is its key's name.
        String foreign = SignedNote.sign(new Checkpoint("other.example/log", covered, tree.root(covered)).body(), key);
        assertRefused(Files.writeString(dir.resolve("cp-foreign.txt"), foreign), key.verifierKey(),
                "the checkpoint is of log other.example/log, signed by a key named " + key.name());

        assertRefused(dir.resolve("no-such-checkpoint.txt"), key.verifierKey(), "no-such-checkpoint.txt: no such file or directory");
        assertRefused(Files.writeString(dir.resolve("cp-garbage.txt"), "not a note\n"), key.verifierKey(),
                "a malformed signed note");
    }

    @Test
    void aMissingOrBadKeyIsBadUsage() {
        String checkpoint = dir.resolve("cp-usage.txt").toString();
        assertUsage(audit(log.toString(), "--checkpoint", checkpoint), "--checkpoint needs --key VKEY");
        assertUsage(audit(log.toString(), "--key", key.verifierKey()), "give --checkpoint FILE with it");
        assertUsage(audit(log.toString(), "--checkpoint", checkpoint, "--key", "not-a-key"), "--key not a verifier key");
        assertUsage(audit(log.toString(), "--checkpoint", checkpoint, "--key", "@" + dir.resolve("no-key")),
                "cannot read");
        assertUsage(audit("--checkpoint", checkpoint, "--key", key.verifierKey()), "give either FILE or --store, not neither");
    }

    /** The lines with one event's timestamp changed and its device's chain recomputed from there on. */
    static List<String> rewrite(List<String> lines, int target) {
        List<String> out = new ArrayList<>(lines);
        String device = CliRuns.object(lines.get(target)).path("device").asText();
        Map<String, String> lastHash = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode line = CliRuns.object(lines.get(i));
            ObjectNode envelope = (ObjectNode) line.get("envelope");
            if (i == target) {
                envelope.put("timestamp", envelope.path("timestamp").asText().replaceFirst("^\\d{4}", "2001"));
            }
            if (i >= target && line.path("device").asText().equals(device)) {
                envelope.put("prev", lastHash.get(device));
                envelope.put("hash", Chain.hashOf(line));
                out.set(i, line.toString());
            }
            lastHash.put(line.path("device").asText(), envelope.path("hash").asText());
        }
        assertTrue(!out.get(target).equals(lines.get(target)), "the target line changed");
        return out;
    }

    private static int indexOf(String fragment, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line after " + from + " holds " + fragment);
    }

    /** The number of lines to keep, at most {@code atMost}, that ends on a whole decision (its commandId's last event). */
    private static int cleanCutBefore(int atMost) {
        for (int kept = atMost; kept > 1; kept--) {
            String last = CliRuns.object(lines.get(kept - 1)).path("envelope").path("commandId").asText();
            String next = CliRuns.object(lines.get(kept)).path("envelope").path("commandId").asText();
            if (!last.equals(next)) {
                return kept;
            }
        }
        throw new AssertionError("no decision ends before line " + atMost);
    }

    private static Path checkpoint(String name, int size) throws IOException {
        return Files.writeString(dir.resolve(name), Checkpoint.of(key.name(), tree, size).sign(key), StandardCharsets.UTF_8);
    }

    private static Path write(String name, List<String> content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static MsixProcess.Result audit(String... args) {
        List<String> command = new ArrayList<>(List.of("audit"));
        command.addAll(List.of(args));
        return MsixProcess.run("", command.toArray(String[]::new));
    }

    private static void assertRefused(Path checkpoint, String verifierKey, String says) {
        MsixProcess.Result result = audit(log.toString(), "--checkpoint", checkpoint.toString(), "--key", verifierKey);
        assertEquals(1, result.exitCode(), () -> describe(result));
        assertEquals("", result.out(), "nothing audited against a checkpoint that is not the log's");
        assertTrue(result.err().contains("msix: checkpoint " + checkpoint) && result.err().contains(says),
                () -> says + ": " + describe(result));
    }

    private static void assertUsage(MsixProcess.Result result, String says) {
        assertEquals(2, result.exitCode(), () -> describe(result));
        assertTrue(result.err().contains(says), () -> says + ": " + describe(result));
    }

    private static String base64(byte[] hash) {
        return java.util.Base64.getEncoder().encodeToString(hash);
    }
}
