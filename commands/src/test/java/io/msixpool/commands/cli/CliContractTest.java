package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static io.msixpool.commands.cli.CliRuns.errTail;
import static io.msixpool.commands.cli.CliRuns.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import io.msixpool.fixtures.CanonicalScenario;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line contract of docs/wire.md, against the real {@code msix} process on both stores: {@code apply}
 * answers every non-blank line in order with docs/wire.md's result object, {@code pool} prints the pool view
 * (or UNKNOWN_DEVICE with exit 3), {@code export} writes the log with its envelope, retry memory survives a
 * process restart, and help and usage errors exit as documented.
 *
 * <p>One {@code apply} of the canonical scenario per store kind is shared by the ordered tests below.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CliContractTest {
    private static final String ACTOR = "test:contract";
    private static final String TRUNCATED = "{\"type\":\"AssignVectors\"";
    private static final String UNKNOWN_TYPE = "{\"type\":\"Nope\"}";
    private static final String UNKNOWN_FIELD =
            "{\"type\":\"AssignVectors\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":2,\"msx\":12}";

    /** docs/wire.md's event table: the fields each event type carries besides type and device. */
    private static final Map<String, List<String>> EVENT_FIELDS = Map.ofEntries(
            Map.entry("PfProvisioned", List.of("pf", "emulation", "vfCount", "msixTotal", "vfMinMsix", "vfMaxMsix")),
            Map.entry("DefaultDistributionApplied", List.of("pf", "msixPerVf")),
            Map.entry("PfOpened", List.of("pf", "dynamicMsix")),
            Map.entry("PfClosed", List.of("pf")),
            Map.entry("NumVfsChanged", List.of("pf", "from", "to")),
            Map.entry("VectorsReclaimed", List.of("pf", "reclaimed", "total")),
            Map.entry("VectorsAssigned", List.of("pf", "vf", "msix")),
            Map.entry("VfOpened", List.of("pf", "vf")),
            Map.entry("VfClosed", List.of("pf", "vf")),
            Map.entry("VectorsReleased", List.of("pf", "vf", "msix")),
            Map.entry("ArmRebooted", List.of("kind")));

    /** One input line and the outcome expected for it ({@code null} for a blank line, which gets none). */
    record Line(String text, String expected) {
        boolean blank() {
            return expected == null;
        }

        String commandId() {
            JsonNode id = object(text).get("commandId");
            return id == null || id.isNull() ? null : id.asText();
        }
    }

    /** The shared run: the store, the non-blank lines sent, apply's result and its parsed result lines. */
    record Applied(String store, List<Line> sent, MsixProcess.Result result, List<ObjectNode> results) {
    }

    private static final Map<TestStores.Kind, Applied> APPLIED = new EnumMap<>(TestStores.Kind.class);

    /** The canonical scenario with blank lines and malformed lines mixed in, as a client might send it. */
    static List<Line> input() {
        List<String> lines = CanonicalScenario.lines();
        List<String> expected = CanonicalScenario.expectedOutcomes();
        assertEquals(lines.size(), expected.size(), "canonical.jsonl and canonical.expected line up");
        List<Line> input = new ArrayList<>();
        input.add(new Line("", null));
        for (int i = 0; i < lines.size(); i++) {
            switch (i) {
                case 3 -> input.add(new Line("   ", null));
                case 12 -> input.add(new Line(TRUNCATED, "BAD_REQUEST"));
                case 20 -> {
                    input.add(new Line("\t", null));
                    input.add(new Line("", null));
                }
                case 30 -> input.add(new Line(UNKNOWN_TYPE, "BAD_REQUEST"));
                case 45 -> input.add(new Line(UNKNOWN_FIELD, "BAD_REQUEST"));
                default -> {
                }
            }
            input.add(new Line(lines.get(i), expected.get(i)));
        }
        input.add(new Line("", null));
        return input;
    }

    static synchronized Applied applied(TestStores.Kind kind) {
        return APPLIED.computeIfAbsent(kind, k -> {
            String store = TestStores.fresh(k);
            List<Line> input = input();
            String stdin = input.stream().map(Line::text).collect(Collectors.joining("\n", "", "\n"));
            MsixProcess.Result result = MsixProcess.run(stdin, "apply", "--store", store, "--actor", ACTOR);
            List<ObjectNode> results = new ArrayList<>();
            if (result.exitCode() == 0) {
                result.lines().forEach(line -> results.add(object(line)));
            }
            return new Applied(store, input.stream().filter(line -> !line.blank()).toList(), result, results);
        });
    }

    @Order(1)
    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void applyAnswersEveryNonBlankLineInOrderWithWireMdResults(TestStores.Kind kind) {
        Applied applied = applied(kind);
        assertEquals(0, applied.result().exitCode(), () -> "apply exits 0: " + describe(applied.result()));
        assertEquals(applied.sent().size(), applied.result().lines().size(),
                () -> "one result line per non-blank input line, blank ones skipped: " + describe(applied.result()));
        for (int i = 0; i < applied.sent().size(); i++) {
            Line line = applied.sent().get(i);
            ObjectNode result = applied.results().get(i);
            String where = "result line " + (i + 1) + " for <" + line.text() + ">: " + result;
            assertTrue(result.path("ok").isBoolean(), "ok is a boolean; " + where);
            assertEquals(line.expected(), outcome(result), where);
            switch (line.expected()) {
                case "ok" -> {
                    assertTrue(result.path("events").isArray(), "an accepted result has an events array; " + where);
                    String device = object(line.text()).path("device").asText();
                    for (JsonNode event : result.get("events")) {
                        assertEventShape(event, device, where);
                    }
                }
                case "duplicate" -> {
                    assertTrue(result.path("events").isArray(), where);
                    assertTrue(result.get("events").isEmpty(), "a duplicate records no events; " + where);
                }
                default -> {
                    assertTrue(result.path("code").isTextual(), where);
                    assertTrue(result.path("message").isTextual() && !result.get("message").asText().isBlank(),
                            "a rejection explains itself in message; " + where);
                }
            }
        }
        // a few results in full, as the scenario dictates them
        ObjectNode first = applied.results().get(0);
        assertEquals(List.of("PfProvisioned", "DefaultDistributionApplied"), types(first.get("events")));
        assertEquals(16, first.get("events").get(1).get("msixPerVf").asInt(), "2000 / 125 = 16 per VF");
        ObjectNode reclaim = applied.results().get(indexOf(applied.sent(), "reclaim-nvme0"));
        assertEquals(List.of("VectorsReclaimed"), types(reclaim.get("events")));
        assertEquals(2000, reclaim.get("events").get(0).get("total").asInt());
        assertEquals(125, reclaim.get("events").get(0).get("reclaimed").size());
    }

    @Order(2)
    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void poolPrintsTheViewWithPfsAndEveryVfInOrder(TestStores.Kind kind) {
        Applied applied = applied(kind);
        ObjectNode view = CliRuns.pool(applied.store(), CanonicalScenario.DEVICE);
        assertEquals(CanonicalScenario.DEVICE, view.path("device").asText(), view::toString);
        assertTrue(view.path("pfs").isArray(), view::toString);
        List<String> pfs = new ArrayList<>();
        for (JsonNode pf : view.get("pfs")) {
            pfs.add(pf.path("pf").asText());
            for (String field : List.of("emulation", "vfCount", "msixTotal", "vfMinMsix", "vfMaxMsix", "msixFree",
                    "open", "dynamicMsix", "numVfs", "vfs")) {
                assertTrue(pf.has(field), "pool view PF has " + field + ": " + pf);
            }
            List<JsonNode> vfs = new ArrayList<>();
            pf.get("vfs").forEach(vfs::add);
            assertEquals(pf.get("vfCount").asInt(), vfs.size(), "every VF listed for " + pf.get("pf"));
            int linked = 0;
            for (int v = 0; v < vfs.size(); v++) {
                assertEquals(v, vfs.get(v).path("vf").asInt(-1), "VFs in ascending vf order in " + pf.get("pf"));
                assertTrue(vfs.get(v).path("msix").isInt() && vfs.get(v).path("open").isBoolean(), vfs.get(v)::toString);
                linked += vfs.get(v).get("msix").asInt();
            }
            assertEquals(pf.get("msixTotal").asInt(), pf.get("msixFree").asInt() + linked,
                    "I1 conservation in the printed view of " + pf.get("pf"));
        }
        assertEquals(List.of("nvme0", "nvme1", "vblk0"), pfs, "PFs in ascending pf order");
        assertEquals(0, view.get("pfs").get(0).get("msixFree").asInt(), "nvme0 ends with every vector handed out");
        assertEquals(125, view.get("pfs").get(0).get("vfCount").asInt());
    }

    @Order(3)
    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void poolOfAnUnknownDevicePrintsUnknownDeviceAndExits3(TestStores.Kind kind) {
        Applied applied = applied(kind);
        MsixProcess.Result result = MsixProcess.run("", "pool", "--store", applied.store(), "--device", "nope");
        assertEquals(3, result.exitCode(), () -> describe(result));
        List<String> lines = CliRuns.nonBlank(result.lines());
        assertEquals(1, lines.size(), () -> describe(result));
        ObjectNode answer = object(lines.get(0));
        assertFalse(answer.path("ok").asBoolean(true), answer::toString);
        assertTrue(answer.path("ok").isBoolean(), answer::toString);
        assertEquals("UNKNOWN_DEVICE", answer.path("code").asText(), answer::toString);
        assertTrue(answer.path("message").isTextual(), answer::toString);
    }

    @Order(4)
    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void exportWritesEveryEventWithItsEnvelopeInGlobalOrder(TestStores.Kind kind) {
        Applied applied = applied(kind);
        assertEquals(0, applied.result().exitCode(), () -> describe(applied.result()));

        // what apply said it recorded, with the commandId of the line that caused it
        List<ObjectNode> recorded = new ArrayList<>();
        List<String> causes = new ArrayList<>();
        for (int i = 0; i < applied.sent().size(); i++) {
            ObjectNode result = applied.results().get(i);
            if (result.path("ok").asBoolean(false)) {
                for (JsonNode event : result.get("events")) {
                    recorded.add((ObjectNode) event);
                    causes.add(applied.sent().get(i).commandId());
                }
            }
        }

        List<ObjectNode> log = CliRuns.export(applied.store());
        assertEquals(recorded.size(), log.size(), "the log holds exactly the events apply reported");
        long lastPosition = Long.MIN_VALUE;
        Map<String, Long> nextSequence = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            ObjectNode line = log.get(i);
            String where = "export line " + (i + 1) + ": " + line;
            JsonNode envelope = line.get("envelope");
            assertTrue(envelope != null && envelope.isObject(), "every line has an envelope object; " + where);
            assertEquals(recorded.get(i), CliRuns.withoutEnvelope(line),
                    "the exported event is the event apply reported, in the same order; " + where);

            assertTrue(envelope.path("position").isIntegralNumber(), where);
            long position = envelope.get("position").asLong();
            assertTrue(position > lastPosition, "position strictly increasing; " + where);
            lastPosition = position;

            String device = line.path("device").asText();
            long expectedSequence = nextSequence.getOrDefault(device, 0L);
            assertTrue(envelope.path("sequence").isIntegralNumber(), where);
            assertEquals(expectedSequence, envelope.get("sequence").asLong(), "per-device sequence 0,1,2,...; " + where);
            nextSequence.put(device, expectedSequence + 1);

            String timestamp = envelope.path("timestamp").asText("");
            assertTrue(timestamp.endsWith("Z"), "timestamp in UTC with Z; " + where);
            try {
                assertNotNull(Instant.parse(timestamp));
            } catch (DateTimeParseException e) {
                fail("timestamp is not an ISO-8601 instant; " + where);
            }

            JsonNode commandId = envelope.get("commandId");
            String expectedId = causes.get(i);
            if (expectedId == null) {
                assertTrue(commandId == null || commandId.isNull(), "no commandId sent, none recorded; " + where);
            } else {
                assertEquals(expectedId, commandId == null ? null : commandId.asText(null),
                        "commandId of the causing command; " + where);
            }
            assertEquals(ACTOR, envelope.path("actor").asText(null), "actor is apply's --actor; " + where);
        }
        List<ObjectNode> reclaimed = log.stream()
                .filter(line -> "reclaim-nvme0".equals(line.path("envelope").path("commandId").asText(null)))
                .toList();
        assertEquals(1, reclaimed.size(), "the reclaim and not its duplicate is in the log: " + reclaimed);
        assertEquals("VectorsReclaimed", reclaimed.get(0).path("type").asText());
    }

    @Order(5)
    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aSecondApplyProcessRemembersTheCommandIdsOfTheFirst(TestStores.Kind kind) {
        Applied applied = applied(kind);
        assertEquals(0, applied.result().exitCode(), () -> describe(applied.result()));
        int eventsBefore = CliRuns.export(applied.store()).size();
        List<String> sent = applied.sent().stream().map(Line::text).toList();
        List<String> resend = List.of(
                sent.get(indexOf(applied.sent(), "reclaim-nvme0")),
                sent.get(indexOf(applied.sent(), "fw-nvme0")),
                sent.get(indexOf(applied.sent(), "vm-0000")));
        String reused = "{\"type\":\"Reclaim\",\"device\":\"bf3-a\",\"pf\":\"nvme1\",\"commandId\":\"reclaim-nvme0\"}";
        String stdin = String.join("\n", resend) + "\n" + reused + "\n";

        MsixProcess.Result again = MsixProcess.run(stdin, "apply", "--store", applied.store());
        assertEquals(0, again.exitCode(), () -> describe(again));
        assertEquals(4, again.lines().size(), () -> describe(again));
        for (int i = 0; i < resend.size(); i++) {
            ObjectNode result = object(again.lines().get(i));
            String where = "retry of <" + resend.get(i) + "> in a new process: " + result;
            assertTrue(result.path("ok").isBoolean() && result.get("ok").asBoolean(), where);
            assertTrue(result.path("duplicate").asBoolean(false), where);
            assertTrue(result.path("events").isArray() && result.get("events").isEmpty(), where);
        }
        ObjectNode reuse = object(again.lines().get(3));
        assertFalse(reuse.path("ok").asBoolean(true), reuse::toString);
        assertEquals("COMMAND_ID_REUSED", reuse.path("code").asText(), "same id, other content: " + reuse);
        assertEquals(eventsBefore, CliRuns.export(applied.store()).size(), "duplicates and rejections record nothing");
    }

    @Order(6)
    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void helpExitsZeroAndUsageErrorsExitTwo(TestStores.Kind kind) throws Exception {
        String store = TestStores.fresh(kind);
        Map<List<String>, Integer> calls = new LinkedHashMap<>();
        calls.put(List.of("--help"), 0);
        for (String sub : List.of("apply", "pool", "history", "export", "import", "demo", "generate", "replay", "audit",
                "bench", "serve", "token", "key", "checkpoint", "verify-consistency", "fleet", "place")) {
            calls.put(List.of(sub, "--help"), 0);
        }
        calls.put(List.of("apply", "--store", store, "--help"), 0);
        calls.put(List.of("frobnicate"), 2);
        calls.put(List.of("frobnicate", "--store", store), 2);
        calls.put(List.of("apply"), 2);
        calls.put(List.of("pool", "--device", "bf3-a"), 2);
        calls.put(List.of("export"), 2);
        calls.put(List.of("pool", "--store", store), 2);
        calls.put(List.of("history", "--store", store), 2);
        calls.put(List.of("import", "--store", store), 2);
        calls.put(List.of("import", "log.jsonl"), 2);
        calls.put(List.of("key"), 2);
        calls.put(List.of("checkpoint"), 2);
        if (kind == TestStores.Kind.EMBEDDED) {
            calls.put(List.of("checkpoint", "--store", store + "-missing"), 2);
        }

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Map<List<String>, Future<MsixProcess.Result>> running = new LinkedHashMap<>();
            calls.keySet().forEach(args -> running.put(args, pool.submit(() -> MsixProcess.run("", args.toArray(String[]::new)))));
            List<String> failures = new ArrayList<>();
            for (var call : running.entrySet()) {
                MsixProcess.Result result = call.getValue().get(2, TimeUnit.MINUTES);
                int expected = calls.get(call.getKey());
                String name = "msix " + String.join(" ", call.getKey());
                if (result.exitCode() != expected) {
                    failures.add(name + " should exit " + expected + ": " + describe(result));
                } else if (expected == 0 && !result.out().contains("Usage:")) {
                    failures.add(name + " should print Usage: on stdout: " + describe(result));
                } else if (expected == 2 && errTail(result.err()).isBlank()) {
                    failures.add(name + " should say what is wrong on stderr: " + describe(result));
                }
            }
            assertTrue(failures.isEmpty(), () -> String.join("\n\n", failures));
        } finally {
            pool.shutdownNow();
        }
    }

    /** "ok", "duplicate" or the rejection code, as canonical.expected writes outcomes. */
    private static String outcome(ObjectNode result) {
        if (result.path("ok").asBoolean(false)) {
            return result.path("duplicate").asBoolean(false) ? "duplicate" : "ok";
        }
        return result.path("code").asText("<no code>");
    }

    private static void assertEventShape(JsonNode event, String device, String where) {
        assertTrue(event.isObject(), "an event is an object; " + where);
        String type = event.path("type").asText("");
        assertTrue(EVENT_FIELDS.containsKey(type), "event type " + type + " is one of docs/wire.md's; " + where);
        assertEquals(device, event.path("device").asText(null), "event names the command's device; " + where);
        for (String field : EVENT_FIELDS.get(type)) {
            assertTrue(event.has(field), type + " carries " + field + "; " + where);
        }
        if (type.equals("VectorsReclaimed")) {
            for (JsonNode link : event.get("reclaimed")) {
                assertTrue(link.has("vf") && link.has("msix"), "reclaimed entries are {vf, msix}; " + where);
            }
        }
    }

    private static List<String> types(JsonNode events) {
        List<String> types = new ArrayList<>();
        events.forEach(event -> types.add(event.path("type").asText()));
        return types;
    }

    private static int indexOf(List<Line> sent, String commandId) {
        return IntStream.range(0, sent.size())
                .filter(i -> sent.get(i).text().contains("\"commandId\":\"" + commandId + "\""))
                .findFirst().orElseThrow(() -> new AssertionError("no line with commandId " + commandId));
    }
}
