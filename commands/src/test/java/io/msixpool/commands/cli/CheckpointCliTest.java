package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestStores;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.NoteKey;
import io.msixpool.replay.merkle.TreeHead;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msix checkpoint --store S} (docs/wire.md): without a server it signs a checkpoint covering
 * every event with the store's key and prints it; beside a running server it prints the server's;
 * on PostgreSQL it signs only with a key given, and otherwise says that none was signed yet.
 */
class CheckpointCliTest {
    @TempDir
    Path dir;

    @Test
    void withoutAServerItSignsTheWholeLogWithTheStoresKey() {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        assertEquals(0, MsixProcess.run("", "demo", "--store", store).exitCode());
        MsixProcess.Result printed = MsixProcess.run("", "checkpoint", "--store", store);
        assertEquals(0, printed.exitCode(), printed::err);
        NoteKey verifier = NoteKey.parseVerifier(MsixProcess.run("", "key", "--store", store).out().strip());
        Checkpoint checkpoint = Checkpoint.open(printed.out(), verifier);

        List<String> lines = MsixProcess.run("", "export", "--store", store).out().lines().toList();
        TreeHead exported = new TreeHead();
        lines.forEach(exported::addLine);
        assertEquals(lines.size(), checkpoint.size(), "the checkpoint covers every event");
        assertArrayEquals(exported.root(), checkpoint.rootHash(), "the root of msix export's lines");
        assertEquals(printed.out(), MsixProcess.run("", "checkpoint", "--store", store).out(),
                "nothing new: the same checkpoint, not another signature");
    }

    @Test
    void besideARunningServerItPrintsTheServersCheckpoint() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        Path tokensFile = dir.resolve("tokens.json");
        Map<String, String> tokens = ServeNode.writeTokens(tokensFile, List.of("ops"), List.of("auditor"));
        try (ServeNode node = ServeNode.start("--store", store, "--tokens", tokensFile.toString(), "--port", "0")) {
            node.command(tokens.get("ops"), "{\"type\":\"ProvisionPf\",\"device\":\"cli-cp\",\"pf\":\"nvme0\","
                    + "\"emulation\":\"NVME\",\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}");
            String served = "";
            for (int wait = 0; wait < 200 && !served.contains("\n2\n"); wait++) { // ProvisionPf records 2 events
                Thread.sleep(50);
                HttpResponse<String> response = node.get(tokens.get("auditor"), "/v1/checkpoint");
                assertEquals(200, response.statusCode(), response.body());
                served = response.body();
            }
            assertTrue(served.contains("\n2\n"), served);
            MsixProcess.Result printed = MsixProcess.run("", "checkpoint", "--store", store);
            assertEquals(0, printed.exitCode(), printed::err);
            assertEquals(served, printed.out(), "the store is the server's: its checkpoint, not one signed beside it");
            Checkpoint.open(printed.out(), NoteKey.parseVerifier(node.verifierKey()));
        }
    }

    @Test
    void onPostgresqlItSignsOnlyWithAKeyGiven() {
        String store = TestStores.fresh(TestStores.Kind.POSTGRES);
        MsixProcess.Result applied = MsixProcess.run("{\"type\":\"ProvisionPf\",\"device\":\"pg-cp\",\"pf\":\"nvme0\",\"emulation\":\"NVME\","
                + "\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32}\n", "apply", "--store", store);
        assertEquals(0, applied.exitCode(), applied::err);
        // An engine that does not follow the store closes its notifier without a stack trace.
        assertEquals("", applied.err().lines().filter(line -> line.contains("Exception")).findFirst().orElse(""), applied.err());
        MsixProcess.Result none = MsixProcess.run("", "checkpoint", "--store", store);
        assertEquals(1, none.exitCode(), none::err);
        assertTrue(none.err().contains("no checkpoint of this log was signed yet"), none.err());

        Path key = dir.resolve("checkpoint.key");
        MsixProcess.Result created = MsixProcess.run("", "key", "--create", "--signing-key", key.toString(),
                "--log-origin", "example.com/cli-cp");
        assertEquals(0, created.exitCode(), created::err);
        MsixProcess.Result signed = MsixProcess.run("", "checkpoint", "--store", store, "--signing-key", key.toString());
        assertEquals(0, signed.exitCode(), signed::err);
        Checkpoint checkpoint = Checkpoint.open(signed.out(), NoteKey.parseVerifier(created.out().strip()));
        assertEquals(MsixProcess.run("", "export", "--store", store).out().lines().count(), checkpoint.size());
        assertEquals(signed.out(), MsixProcess.run("", "checkpoint", "--store", store).out(),
                "once signed, any process prints it");
        assertTrue(Files.exists(key));
    }
}
