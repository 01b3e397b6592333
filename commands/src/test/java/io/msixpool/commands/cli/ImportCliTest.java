package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code msix import} as a real process on both kinds of store: a store A fed a generated workload
 * by {@code msix apply}, its export imported into a fresh store B, which must export the same bytes,
 * hold the rows A holds, answer retries of A's commands as duplicates, decide further commands as
 * A does and audit clean. An edited log and a store holding events are refused without a trace.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ImportCliTest {
    private static final int FIRST = 300;
    private static final int MORE = 100;

    @TempDir
    static Path dir;
    private static List<String> commands;
    /** Per kind of store: A, written by the engine, and its export. */
    private static final Map<TestStores.Kind, Source> SOURCES = new EnumMap<>(TestStores.Kind.class);

    private record Source(String store, Path log, byte[] bytes, List<String> lines) {
    }

    @BeforeAll
    static void aWorkload() {
        MsixProcess.Result generated = MsixProcess.run("", "generate", "--count", String.valueOf(FIRST + MORE),
                "--devices", "3", "--vfs", "16");
        assertEquals(0, generated.exitCode(), generated.err());
        commands = generated.lines();
    }

    private static synchronized Source source(TestStores.Kind kind) throws IOException {
        Source source = SOURCES.get(kind);
        if (source == null) {
            String store = TestStores.fresh(kind);
            apply(store, commands.subList(0, FIRST));
            MsixProcess.Result exported = MsixProcess.run("", "export", "--store", store);
            assertEquals(0, exported.exitCode(), () -> describe(exported));
            Path log = Files.writeString(dir.resolve(kind + ".jsonl"), exported.out());
            source = new Source(store, log, Files.readAllBytes(log), exported.lines());
            assertTrue(source.lines().size() > FIRST, "a real history: " + source.lines().size() + " events");
            SOURCES.put(kind, source);
        }
        return source;
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void anImportedStoreExportsTheSameBytesAndGoesOnAsTheOriginal(TestStores.Kind kind) throws Exception {
        Source a = source(kind);
        String b = TestStores.fresh(kind);

        MsixProcess.Result imported = MsixProcess.run("", "import", a.log().toString(), "--store", b);
        assertEquals(0, imported.exitCode(), () -> describe(imported));
        assertTrue(imported.out().strip().matches("imported " + String.format("%,d", a.lines().size())
                + " events of 3 devices into .+"), imported.out());
        assertArrayEquals(a.bytes(), export(b), "msix export of the imported store is the original export");
        assertEquals(rows(a.store()), rows(b), "every row as the engine stored it, but its eventIdentifier");

        // Retries of every command the log recorded are duplicates: the retry memory was rebuilt.
        Set<String> recorded = new HashSet<>();  // a commandId is a device's: "device commandId"
        a.lines().forEach(line -> recorded.add(deviceAndId(CliRuns.object(line).path("device").asText(),
                CliRuns.object(line).path("envelope"))));
        List<String> retries = commands.subList(0, FIRST).stream()
                .filter(command -> recorded.contains(deviceAndId(CliRuns.object(command).path("device").asText(),
                        CliRuns.object(command))))
                .toList();
        assertTrue(retries.size() > FIRST / 2, "most commands recorded events: " + retries.size());
        for (String outcome : apply(b, retries)) {
            assertTrue(CliRuns.object(outcome).path("duplicate").asBoolean(false), outcome);
        }
        assertEquals(a.lines().size(), rows(b).size(), "duplicates record nothing");

        // More commands: decided on B as on A, appended after the imported positions, chains intact.
        List<String> more = commands.subList(FIRST, FIRST + MORE);
        List<String> onB = apply(b, more);
        assertEquals(apply(a.store(), more), onB, "the same outcomes on the original and the imported store");
        assertTrue(onB.stream().filter(outcome -> outcome.contains("\"events\":[{")).count() > MORE / 4,
                "many of them record events: " + onB);
        List<ObjectNode> after = CliRuns.export(b);
        long lastImported = CliRuns.object(a.lines().getLast()).path("envelope").path("position").asLong();
        assertTrue(after.size() > a.lines().size(), "events were appended");
        for (ObjectNode appended : after.subList(a.lines().size(), after.size())) {
            assertTrue(appended.path("envelope").path("position").asLong() > lastImported, appended::toString);
        }
        MsixProcess.Result audit = MsixProcess.run("", "audit", "--store", b);
        assertEquals(0, audit.exitCode(), () -> describe(audit));
        assertTrue(audit.out().contains(": clean"), audit.out());
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void standardInputIsImportedToo(TestStores.Kind kind) throws Exception {
        Source a = source(kind);
        String c = TestStores.fresh(kind);
        MsixProcess.Result imported = MsixProcess.run(new String(a.bytes(), StandardCharsets.UTF_8), "import", "-",
                "--store", c);
        assertEquals(0, imported.exitCode(), () -> describe(imported));
        assertArrayEquals(a.bytes(), export(c));
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aLogWithAnEditedLineIsRefusedAndNothingIsWritten(TestStores.Kind kind) throws Exception {
        Source a = source(kind);
        List<String> edited = new ArrayList<>(a.lines());
        int target = edited.size() / 2;
        while (!edited.get(target).contains("\"type\":\"VectorsAssigned\"")) {
            target++;
        }
        edited.set(target, edited.get(target).replaceFirst("\"msix\":(\\d+)", "\"msix\":1$1"));
        long position = CliRuns.object(a.lines().get(target)).path("envelope").path("position").asLong();
        Path log = Files.write(dir.resolve("edited-" + kind + ".jsonl"), edited);
        String store = TestStores.fresh(kind);

        MsixProcess.Result refused = MsixProcess.run("", "import", log.toString(), "--store", store);
        assertEquals(1, refused.exitCode(), () -> describe(refused));
        assertTrue(refused.err().contains("position " + position + " (line " + (target + 1) + ") "), refused.err());
        assertTrue(refused.err().contains(" CHAIN: the line does not match its hash"), refused.err());
        assertTrue(refused.err().contains("msix audit " + log), "points to the full list: " + refused.err());
        assertTrue(refused.out().isBlank(), refused.out());
        assertNothingWritten(kind, store);
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aStoreHoldingEventsIsRefusedAndKeptAsItWas(TestStores.Kind kind) throws Exception {
        Source a = source(kind);
        List<String> before = rows(a.store());

        MsixProcess.Result refused = MsixProcess.run("", "import", a.log().toString(), "--store", a.store());
        assertEquals(2, refused.exitCode(), () -> describe(refused));
        assertTrue(refused.err().contains("already holds events"), refused.err());
        assertEquals(before, rows(a.store()), "nothing changed");

        String missing = TestStores.fresh(kind);
        MsixProcess.Result noLog = MsixProcess.run("", "import", dir.resolve("no-such.jsonl").toString(),
                "--store", missing);
        assertEquals(2, noLog.exitCode(), () -> describe(noLog));
        assertTrue(noLog.err().contains("no such file"), noLog.err());
        assertNothingWritten(kind, missing);
    }

    private static String deviceAndId(String device, JsonNode withCommandId) {
        return device + " " + withCommandId.path("commandId").asText();
    }

    private static void assertNothingWritten(TestStores.Kind kind, String store) throws SQLException {
        if (kind == TestStores.Kind.EMBEDDED) {
            assertFalse(Files.exists(Path.of(store)), "the store was not created: " + store);
            return;
        }
        try (HikariDataSource data = StoreLocation.parse(store).open(StoreLocation.Access.READ); Connection sql = data.getConnection();
             ResultSet tables = sql.getMetaData().getTables(null, "public", null, new String[] {"TABLE"})) {
            assertFalse(tables.next(), "no table was created in " + store);
        }
    }

    /** Every event row, in order, as text: every column but eventIdentifier, the metadata without Axon's message ids. */
    private static List<String> rows(String store) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (HikariDataSource data = StoreLocation.parse(store).open(StoreLocation.Access.READ); Connection sql = data.getConnection();
             Statement select = sql.createStatement();
             ResultSet row = select.executeQuery("SELECT globalIndex, aggregateIdentifier, sequenceNumber, type,"
                     + " timeStamp, payloadType, payloadRevision, payload, metaData FROM domainevententry"
                     + " ORDER BY globalIndex")) {
            while (row.next()) {
                ObjectNode metaData = CliRuns.object(new String(row.getBytes("metaData"), StandardCharsets.UTF_8));
                String trace = metaData.path("traceId").asText();
                assertEquals(trace, metaData.path("correlationId").asText(), "a command message's id: " + metaData);
                assertFalse(trace.isEmpty(), metaData::toString);
                metaData.remove(List.of("traceId", "correlationId"));
                rows.add(String.join(" | ", row.getString("globalIndex"), row.getString("aggregateIdentifier"),
                        row.getString("sequenceNumber"), row.getString("type"), row.getString("timeStamp"),
                        row.getString("payloadType"), row.getString("payloadRevision"),
                        new String(row.getBytes("payload"), StandardCharsets.UTF_8), sorted(metaData)));
            }
        }
        return rows;
    }

    private static String sorted(ObjectNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        return keys.stream().map(key -> key + "=" + object.get(key)).toList().toString();
    }

    private static byte[] export(String store) {
        MsixProcess.Result exported = MsixProcess.run("", "export", "--store", store);
        assertEquals(0, exported.exitCode(), () -> describe(exported));
        return exported.out().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> apply(String store, List<String> lines) {
        MsixProcess.Result applied = MsixProcess.run(String.join("\n", lines) + "\n", "apply", "--store", store);
        assertEquals(0, applied.exitCode(), () -> describe(applied));
        assertEquals(lines.size(), applied.lines().size(), () -> describe(applied));
        return applied.lines();
    }
}
