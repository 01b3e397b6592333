package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.CommandReader;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.merkle.TreeHead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes {@code msix export} writes for a stored event never change (issue 13, item 3): leaf i of
 * the log's Merkle tree is the hash of line i, so a signed checkpoint stays verifiable only while
 * every stored event exports as it did when the checkpoint was signed (field order, escaping, number
 * and timestamp text, the envelope). {@code golden/export.jsonl} is the export of {@link #SCENARIO}
 * by the engine of the day the file was made, frozen: never regenerate it, a difference is a break
 * of every checkpoint ever signed (a new event field or revision goes in new lines, not old ones).
 *
 * <p>Two checks, on both stores: the golden log imported (the rows the engine would have stored)
 * exports the golden bytes; and the engine deciding the scenario now records events whose lines are
 * the golden lines but for what depends on the moment (timestamp, and the chain's hashes over it).
 */
class ExportGoldenTest {
    static final String GOLDEN = "/golden/export.jsonl";
    /** The Merkle root of the golden log's 23 lines (RFC 9162), as an independent script computed it from the file. */
    static final String GOLDEN_ROOT = "a533837f05c99be5a258e492117b8f5006e8ea4ffe70f42bc61d81c71c4906e6";
    /** Actor and wire command: every event type, a null commandId, and a quote and backslash to escape. */
    static final List<String[]> SCENARIO = List.of(
            line("cli:ops", "{\"type\":\"ProvisionPf\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"emulation\":\"NVME\",\"vfCount\":4,"
                    + "\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32,\"commandId\":\"fw-1\"}"),
            line("cli:ops", "{\"type\":\"ProvisionPf\",\"device\":\"bf3-g\",\"pf\":\"virtio0\",\"emulation\":\"VIRTIO_BLK\","
                    + "\"vfCount\":2,\"msixTotal\":16,\"vfMinMsix\":1,\"vfMaxMsix\":8}"),
            line("http:o\"b\\x", "{\"type\":\"OpenPf\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"dynamicMsix\":true,\"commandId\":\"open\\\"1\\\\\"}"),
            line("cli:ops", "{\"type\":\"OpenPf\",\"device\":\"bf3-g\",\"pf\":\"virtio0\",\"dynamicMsix\":false}"),
            line("cli:ops", "{\"type\":\"SetNumVfs\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"numVfs\":0}"),
            line("cli:ops", "{\"type\":\"Reclaim\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"commandId\":\"req-7\"}"),
            line("cli:ops", "{\"type\":\"SetNumVfs\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"numVfs\":4}"),
            line("vm:a\\b", "{\"type\":\"AssignVectors\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"vf\":2,\"msix\":12,\"commandId\":\"vm-2\"}"),
            line("cli:ops", "{\"type\":\"CloseVf\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"vf\":2}"),
            line("cli:ops", "{\"type\":\"OpenVf\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"vf\":2}"),
            line("cli:ops", "{\"type\":\"ReleaseVectors\",\"device\":\"bf3-g\",\"pf\":\"nvme0\",\"vf\":2}"),
            line("cli:ops", "{\"type\":\"ClosePf\",\"device\":\"bf3-g\",\"pf\":\"virtio0\"}"),
            line("cli:ops", "{\"type\":\"ArmReset\",\"device\":\"bf3-g\",\"kind\":\"COLD_BOOT\"}"),
            line("cli:ops", "{\"type\":\"ProvisionPf\",\"device\":\"bf3-h\",\"pf\":\"nvme0\",\"emulation\":\"NVME\",\"vfCount\":1,"
                    + "\"msixTotal\":2,\"vfMinMsix\":2,\"vfMaxMsix\":2}"),
            line("cli:ops", "{\"type\":\"ArmReset\",\"device\":\"bf3-g\",\"kind\":\"FE_RESET\"}"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void theGoldenLogImportedExportsTheSameBytes(TestStores.Kind kind) throws Exception {
        byte[] golden = golden().getBytes(StandardCharsets.UTF_8);
        Path log = Files.write(dir.resolve("golden.jsonl"), golden);
        StoreLocation store = StoreLocation.parse(TestStores.fresh(kind));
        try (Engine created = Engine.open(store)) {
            // Engine.open makes the store and its tables, as msix import does before the rows.
        }
        LogImport.into(store, log, LogImport.audit(log, (lines, chars) -> { }), (lines, chars) -> { });

        try (Engine engine = Engine.openReader(store)) {
            String exported = export(engine);
            assertArrayEquals(golden, exported.getBytes(StandardCharsets.UTF_8), exported);
            TreeHead tree = new TreeHead();
            exported.lines().forEach(tree::addLine);
            assertEquals(23, tree.size());
            assertEquals(GOLDEN_ROOT, HexFormat.of().formatHex(tree.root()), "the root a checkpoint of the golden log signed");
        }
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void theEngineRecordsTheGoldenLinesButForTheirMoment(TestStores.Kind kind) throws Exception {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(kind));
        try (Engine engine = Engine.open(store)) {
            CommandReader reader = new CommandReader();
            for (String[] command : SCENARIO) {
                assertInstanceOf(Outcome.Accepted.class, engine.send(reader.read(command[1]), command[0]), command[1]);
            }
            assertEquals(withoutMoment(golden()), withoutMoment(export(engine)));
        }
    }

    /** What msix export writes: each line, then a newline. */
    static String export(Engine engine) {
        return EventLog.lines(engine).map(line -> line.toString() + "\n").collect(Collectors.joining());
    }

    private static String withoutMoment(String log) {
        return log.lines().map(text -> {
            ObjectNode line = EventLogFormat.parse(text);
            ObjectNode envelope = (ObjectNode) line.get(EventLogFormat.ENVELOPE);
            envelope.put("timestamp", "T").put("prev", "P").put("hash", "H");
            return line.toString();
        }).collect(Collectors.joining("\n"));
    }

    static String golden() throws IOException {
        try (InputStream in = ExportGoldenTest.class.getResourceAsStream(GOLDEN)) {
            if (in == null) {
                throw new IllegalStateException(GOLDEN + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String[] line(String actor, String command) {
        return new String[] {actor, command};
    }
}
