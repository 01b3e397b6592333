package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps of docs/event-log.md, "Auditing with checkpoints", as an auditor takes them against a
 * running {@code msix serve}: the verifier key from {@code msix key}, a checkpoint kept with an
 * auditor's token, a newer one and the consistency proof between them from the server, checked with
 * {@code msix verify-consistency}, and the exported log audited against the kept checkpoint.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AuditorWorkflowCliTest {
    @TempDir
    Path dir;

    @Test
    void theServersCheckpointsAndProofsPassTheAuditorsChecks() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        Path tokensFile = dir.resolve("tokens.json");
        Map<String, String> tokens = ServeNode.writeTokens(tokensFile, List.of("ops"), List.of("auditor-a"));
        String operator = tokens.get("ops");
        String auditor = tokens.get("auditor-a");
        try (ServeNode node = ServeNode.start("--store", store, "--tokens", tokensFile.toString(), "--port", "0")) {
            MsixProcess.Result key = MsixProcess.run("", "key", "--store", store);
            assertEquals(0, key.exitCode(), () -> describe(key));
            assertEquals(node.verifierKey() + "\n", key.out(), "msix key prints the key serve printed");
            Path verifierKey = Files.writeString(dir.resolve("verifier.key"), key.out());

            send(node, operator, "{\"type\":\"ProvisionPf\",\"device\":\"wf-a\",\"pf\":\"nvme0\",\"emulation\":\"NVME\","
                    + "\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32,\"commandId\":\"wf-1\"}");
            send(node, operator, "{\"type\":\"OpenPf\",\"device\":\"wf-a\",\"pf\":\"nvme0\",\"commandId\":\"wf-2\"}");
            Path old = dir.resolve("cp-old.txt");
            long oldSize = keepCheckpointCoveringEveryEvent(node, auditor, old);

            send(node, operator, "{\"type\":\"Reclaim\",\"device\":\"wf-a\",\"pf\":\"nvme0\",\"commandId\":\"wf-3\"}");
            send(node, operator, "{\"type\":\"AssignVectors\",\"device\":\"wf-a\",\"pf\":\"nvme0\",\"vf\":1,\"msix\":8,"
                    + "\"commandId\":\"wf-4\"}");
            Path latest = dir.resolve("cp-new.txt");
            long newSize = keepCheckpointCoveringEveryEvent(node, auditor, latest);
            assertTrue(newSize > oldSize, oldSize + " then " + newSize);

            HttpResponse<String> proof = node.get(auditor, "/v1/proof/consistency?from=" + oldSize + "&to=" + newSize);
            assertEquals(200, proof.statusCode(), proof.body());
            Path proofFile = Files.writeString(dir.resolve("proof.json"), proof.body());
            MsixProcess.Result verified = MsixProcess.run("", "verify-consistency", old.toString(), latest.toString(),
                    proofFile.toString(), "--key", "@" + verifierKey);
            assertEquals(0, verified.exitCode(), () -> describe(verified));
            assertTrue(verified.out().startsWith("NEW extends OLD: the log " + node.verifierKey().split("\\+")[0] + " of "
                    + newSize + " events holds the " + oldSize + " events of "), verified.out());

            ObjectNode tampered = CliRuns.object(proof.body());
            String first = tampered.get("hashes").get(0).asText();
            ((ArrayNode) tampered.get("hashes")).set(0, (first.startsWith("A") ? "B" : "A") + first.substring(1));
            Path tamperedFile = Files.writeString(dir.resolve("tampered.json"), tampered.toString());
            MsixProcess.Result refused = MsixProcess.run("", "verify-consistency", old.toString(), latest.toString(),
                    tamperedFile.toString(), "--key", "@" + verifierKey);
            assertEquals(1, refused.exitCode(), () -> describe(refused));
            assertTrue(refused.err().contains("msix: NEW does not extend OLD"), () -> describe(refused));

            MsixProcess.Result exported = MsixProcess.run("", "export", "--store", store);
            assertEquals(0, exported.exitCode(), () -> describe(exported));
            Path log = Files.writeString(dir.resolve("log.jsonl"), exported.out());
            MsixProcess.Result audited = MsixProcess.run("", "audit", log.toString(), "--checkpoint", old.toString(),
                    "--key", "@" + verifierKey);
            assertEquals(0, audited.exitCode(), () -> describe(audited));
            assertTrue(audited.out().contains("the log extends it (" + oldSize + " of its " + exported.lines().size()
                    + " lines covered"), audited.out());
        }
    }

    private static void send(ServeNode node, String token, String command) throws Exception {
        HttpResponse<String> answer = node.command(token, command);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().startsWith("{\"ok\":true"), answer.body());
    }

    /**
     * Waits (polling, bounded) for the server's newest checkpoint to cover every event GET /v1/events
     * shows, as an auditor would, and keeps it in {@code file}; its size.
     */
    private static long keepCheckpointCoveringEveryEvent(ServeNode node, String auditor, Path file) throws Exception {
        int events = node.events(auditor).size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> checkpoint = node.get(auditor, "/v1/checkpoint");
            assertEquals(200, checkpoint.statusCode(), checkpoint.body());
            long size = Long.parseLong(checkpoint.body().split("\n")[1]);
            if (size == events) {
                Files.writeString(file, checkpoint.body());
                return size;
            }
            Thread.sleep(100);
        }
        return fail("no checkpoint covered the " + events + " events within 30 s");
    }
}
