package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msix audit} and {@code msix replay} as real processes on what the engine really wrote: a
 * store fed a generated workload in two halves, and its export. The audit finds a clean log clean
 * and an edited one broken at the edited position; replay gives back the pools the engine showed
 * at the end of the first half.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AuditCliTest {
    private static final List<String> DEVICES = List.of("dpu-0000", "dpu-0001", "dpu-0002");

    @TempDir
    static Path dir;
    private static String store;
    private static Path log;
    private static List<String> lines;
    /** After the first half: the last position, and every device's pool as msix pool showed it. */
    private static long halfway;
    private static List<ObjectNode> poolsHalfway;

    @BeforeAll
    static void aStoreWrittenInTwoHalves() throws IOException {
        store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        List<String> commands = MsixProcess.run("", "generate", "--count", "1200", "--devices", "3", "--vfs", "16")
                .lines();
        apply(commands.subList(0, 600));
        halfway = CliRuns.export(store).getLast().path("envelope").path("position").asLong();
        poolsHalfway = DEVICES.stream().map(device -> CliRuns.pool(store, device)).toList();
        apply(commands.subList(600, commands.size()));
        MsixProcess.Result exported = MsixProcess.run("", "export", "--store", store);
        assertEquals(0, exported.exitCode(), exported.err());
        log = dir.resolve("log.jsonl");
        Files.writeString(log, exported.out());
        lines = exported.lines();
        assertTrue(lines.size() > 1000, "a real history: " + lines.size() + " events");
    }

    @Test
    void theEnginesOwnLogIsCleanFromTheFileAndFromTheStore() {
        MsixProcess.Result fromFile = MsixProcess.run("", "audit", log.toString());
        assertEquals(0, fromFile.exitCode(), fromFile.out() + fromFile.err());
        assertEquals("audit of log.jsonl: " + String.format("%,d", lines.size())
                        + " events, 3 devices: clean (chain intact, every decision valid, I1-I5 hold after every event)",
                fromFile.out().strip());

        MsixProcess.Result fromStore = MsixProcess.run("", "audit", "--store", store, "--json");
        assertEquals(0, fromStore.exitCode(), fromStore.out() + fromStore.err());
        ObjectNode json = CliRuns.object(fromStore.out().strip());
        assertTrue(json.path("ok").asBoolean(), json.toString());
        assertEquals(lines.size(), json.path("events").asInt());
        assertEquals(0, json.path("findings").size());
    }

    @Test
    void anEditedExportFailsAtTheEditedPosition() throws IOException {
        List<String> edited = new ArrayList<>(lines);
        int target = lastIndexOf(edited, "\"type\":\"VectorsAssigned\"");
        String original = edited.get(target);
        String changed = original.replaceFirst("\"msix\":(\\d+)", "\"msix\":1$1");
        assertTrue(!changed.equals(original), original);
        edited.set(target, changed);
        long position = CliRuns.object(original).path("envelope").path("position").asLong();

        MsixProcess.Result result = MsixProcess.run("", "audit", write("edited.jsonl", edited).toString(), "--json");
        assertEquals(1, result.exitCode(), result.out() + result.err());
        ObjectNode json = CliRuns.object(result.out().strip());
        ObjectNode first = (ObjectNode) json.path("findings").get(0);
        assertEquals("CHAIN", first.path("rule").asText(), first.toString());
        int chainFindings = 0;
        for (var finding : json.path("findings")) {
            chainFindings += finding.path("rule").asText().equals("CHAIN") ? 1 : 0;
        }
        assertEquals(1, chainFindings, "one edit, one chain finding: " + json);
        assertEquals(position, first.path("position").asLong(), first.toString());
        assertEquals(target + 1, first.path("line").asLong(), first.toString());
    }

    @Test
    void theHtmlReportOfAnEditedLogShowsTheFindingAndEveryPf() throws IOException {
        List<String> edited = new ArrayList<>(lines);
        int target = lastIndexOf(edited, "\"type\":\"VectorsAssigned\"");
        edited.set(target, edited.get(target).replaceFirst("\"msix\":(\\d+)", "\"msix\":1$1"));
        long position = CliRuns.object(lines.get(target)).path("envelope").path("position").asLong();
        Path report = dir.resolve("reports/edited.html");

        MsixProcess.Result result = MsixProcess.run("", "audit", write("for-report.jsonl", edited).toString(),
                "--html", report.toString());
        assertEquals(1, result.exitCode(), result.out() + result.err());
        String html = Files.readString(report);
        assertTrue(html.contains("<td class=\"n\">" + position + "</td>"), "the finding's row, with its position");
        assertTrue(html.contains("<td class=\"rule\">CHAIN</td>"), "the finding's rule");
        for (String device : DEVICES) {
            for (String pf : List.of("nvme0", "nvme1", "nvme2", "vblk3")) {
                assertTrue(html.contains("<h4>" + device + " / " + pf + "</h4>"), device + "/" + pf + " has its section");
            }
        }
        assertTrue(html.contains("<svg"), "charts");
        assertTrue(!html.contains("src=") && !html.contains("href=\"http") && !html.contains("url(http"),
                "self-contained: nothing fetched from anywhere");
    }

    @Test
    void aDeletedEventIsReportedInTextWithItsPosition() throws IOException {
        List<String> cut = new ArrayList<>(lines);
        int target = lines.size() / 2;
        String device = CliRuns.object(cut.remove(target)).path("device").asText();
        int next = target;
        while (!CliRuns.object(cut.get(next)).path("device").asText().equals(device)) {
            next++;
        }
        long position = CliRuns.object(cut.get(next)).path("envelope").path("position").asLong();

        MsixProcess.Result result = MsixProcess.run("", "audit", write("cut.jsonl", cut).toString());
        assertEquals(1, result.exitCode(), result.out() + result.err());
        List<String> out = result.lines();
        assertTrue(out.getFirst().matches("audit of cut\\.jsonl: .* events, 3 devices: \\d+ findings?"), out.getFirst());
        assertTrue(out.get(1).startsWith("position " + position + " (line " + (next + 1) + ") " + device + " CHAIN: "),
                out.get(1));
    }

    @Test
    void replayAtTheHalfwayPositionGivesThePoolsTheEngineShowedThen() {
        for (String source : List.of(log.toString(), "--store=" + store)) {
            for (int i = 0; i < DEVICES.size(); i++) {
                MsixProcess.Result replayed = MsixProcess.run("", "replay", source, "--at", String.valueOf(halfway),
                        "--device", DEVICES.get(i));
                assertEquals(0, replayed.exitCode(), replayed.err());
                assertEquals(poolsHalfway.get(i), CliRuns.object(replayed.out().strip()), source);
            }
        }
    }

    @Test
    void replayAtTheTimeOfTheHalfwayEventAndAtTheEndAgreeWithTheEngine() {
        String time = lines.stream().map(CliRuns::object)
                .filter(line -> line.path("envelope").path("position").asLong() == halfway)
                .findFirst().orElseThrow().path("envelope").path("timestamp").asText();
        MsixProcess.Result atTime = MsixProcess.run("", "replay", log.toString(), "--at", time);
        assertEquals(0, atTime.exitCode(), atTime.err());
        assertEquals(poolsHalfway, atTime.lines().stream().map(CliRuns::object).toList(),
                "the second half was applied by a later process, after " + time);

        MsixProcess.Result atEnd = MsixProcess.run("", "replay", log.toString());
        assertEquals(DEVICES.stream().map(device -> CliRuns.pool(store, device)).toList(),
                atEnd.lines().stream().map(CliRuns::object).toList());
    }

    @Test
    void replayBeforeTheFirstEventPrintsNoPoolAndSaysSo() {
        ObjectNode first = (ObjectNode) CliRuns.object(lines.getFirst()).get("envelope");
        String before = Instant.parse(first.path("timestamp").asText()).minusSeconds(1).toString();
        for (String at : List.of(before, "0")) {
            MsixProcess.Result replayed = MsixProcess.run("", "replay", log.toString(), "--at", at, "--table");
            assertEquals(0, replayed.exitCode(), () -> CliRuns.describe(replayed));
            assertEquals("", replayed.out(), "no pool existed then");
            assertTrue(replayed.err().contains("msix: --at " + at + " is before the log's first event (position "
                    + first.path("position").asLong() + ", " + first.path("timestamp").asText()
                    + "): there were no pools then, nothing to print"), () -> CliRuns.describe(replayed));
        }
        MsixProcess.Result empty = MsixProcess.run("", "replay", "-");
        assertEquals(0, empty.exitCode(), () -> CliRuns.describe(empty));
        assertTrue(empty.err().contains("msix: the log holds no event"), () -> CliRuns.describe(empty));
    }

    @Test
    void badUsageExits2AndAnUnknownDevice3() {
        assertUsage(MsixProcess.run("", "audit"), "give either FILE or --store, not neither");
        assertUsage(MsixProcess.run("", "audit", log.toString(), "--store", store), "not both");
        assertUsage(MsixProcess.run("", "audit", dir.resolve("nothing.jsonl").toString()), "no such file");
        assertUsage(MsixProcess.run("", "audit", "--store", dir.resolve("no-store").toString()), "no store at");
        assertUsage(MsixProcess.run("", "replay", log.toString(), "--at", "yesterday"), "neither a position");
        MsixProcess.Result unknown = MsixProcess.run("", "replay", log.toString(), "--at", "3", "--device", "dpu-0002");
        assertEquals(3, unknown.exitCode(), unknown.out() + unknown.err());
        assertEquals("UNKNOWN_DEVICE", CliRuns.object(unknown.out().strip()).path("code").asText());
        assertTrue(Files.notExists(dir.resolve("no-store")), "reading never creates a store");
    }

    private static void assertUsage(MsixProcess.Result result, String says) {
        assertEquals(2, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains(says), result.err());
    }

    private static void apply(List<String> commands) {
        MsixProcess.Result applied = MsixProcess.run(String.join("\n", commands) + "\n", "apply", "--store", store);
        assertEquals(0, applied.exitCode(), applied.err());
    }

    private static Path write(String name, List<String> content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static int lastIndexOf(List<String> lines, String fragment) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line holds " + fragment);
    }
}
