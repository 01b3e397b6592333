package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.msixpool.commands.support.TestStores;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.LeafHashes;
import io.msixpool.replay.merkle.MerkleHash;
import io.msixpool.replay.merkle.MerkleTree;
import io.msixpool.replay.merkle.NoteKey;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/http.md "Checkpoints and proofs": the newest signed checkpoint as text, inclusion and
 * consistency proofs as JSON over the lines {@code GET /v1/events} gives, checked with the RFC 9162
 * verifiers; every bad parameter a 400 that names it.
 */
class CheckpointHttpTest {
    private static final NoteKey KEY = NoteKey.generate("example.com/http-test");

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void theCheckpointAndItsProofsAreServedAndVerify(TestStores.Kind kind) throws Exception {
        try (BusFixture bus = BusFixture.start(kind)) {
            bus.engine.keepCheckpoints(KEY);
            bus.openReclaimedPf("cp-a", "nvme0", 4);
            Checkpoint first = coveringEveryEvent(bus);
            bus.accept(BusFixture.assign("cp-a", "nvme0", 1, 10));
            bus.accept(BusFixture.assign("cp-a", "nvme0", 2, 6));
            Checkpoint second = coveringEveryEvent(bus);
            assertTrue(second.size() > first.size());

            List<byte[]> leaves = leaves(bus);
            assertArrayEquals(new MerkleTree(LeafHashes.of(leaves)).root(second.size()), second.rootHash(),
                    "the root of the lines GET /v1/events gives");
            JsonNode consistency = json(bus, "/v1/proof/consistency?from=" + first.size() + "&to=" + second.size());
            assertEquals(first.size(), consistency.get("from").asLong());
            assertEquals(second.size(), consistency.get("to").asLong());
            assertTrue(MerkleTree.verifyConsistency(first.size(), second.size(), first.rootHash(), second.rootHash(),
                    hashes(consistency)));
            for (long index = 0; index < second.size(); index++) {
                JsonNode inclusion = json(bus, "/v1/proof/inclusion?index=" + index + "&size=" + second.size());
                assertEquals(index, inclusion.get("index").asLong());
                assertTrue(MerkleTree.verifyInclusion(index, second.size(), leaves.get((int) index), hashes(inclusion),
                        second.rootHash()), "leaf " + index);
            }
            assertEquals(0, json(bus, "/v1/proof/consistency?from=" + second.size() + "&to=" + second.size())
                    .get("hashes").size(), "a tree is its own prefix with an empty proof");
        }
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void badParametersAreRefusedByName(TestStores.Kind kind) throws Exception {
        try (BusFixture bus = BusFixture.start(kind)) {
            bus.engine.keepCheckpoints(KEY);
            bus.openReclaimedPf("cp-b", "nvme0", 2);
            long size = coveringEveryEvent(bus).size();
            refused(bus, "/v1/proof/inclusion?size=" + size, "index");
            refused(bus, "/v1/proof/inclusion?index=0", "size");
            refused(bus, "/v1/proof/inclusion?index=" + size + "&size=" + size, "size");
            refused(bus, "/v1/proof/inclusion?index=-1&size=" + size, "index");
            refused(bus, "/v1/proof/inclusion?index=0&size=" + (size + 1), "size");
            refused(bus, "/v1/proof/inclusion?index=x&size=" + size, "index");
            refused(bus, "/v1/proof/consistency?from=0&to=" + size, "from");
            refused(bus, "/v1/proof/consistency?from=2&to=1", "from");
            refused(bus, "/v1/proof/consistency?from=1&to=" + (size + 1), "to");
            refused(bus, "/v1/proof/consistency?from=1", "to");
            refused(bus, "/v1/proof/consistency?from=1&from=2&to=" + size, "from");
        }
    }

    /** Waits (at most 20 s) for the newest checkpoint to cover every event the log has now, and opens it. */
    private static Checkpoint coveringEveryEvent(BusFixture bus) throws InterruptedException {
        int events = leaves(bus).size();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            HttpResponse<String> response = bus.get(BusFixture.AUDITOR_TOKEN, "/v1/checkpoint");
            assertEquals(200, response.statusCode(), response::body);
            assertEquals("text/plain; charset=utf-8", response.headers().firstValue("content-type").orElse(""));
            Checkpoint checkpoint = Checkpoint.open(response.body(), KEY.verifier());
            if (checkpoint.size() == events) {
                return checkpoint;
            }
            assertTrue(System.nanoTime() < deadline, "the checkpoint covers " + checkpoint.size() + " of " + events + " events");
            Thread.sleep(50);
        }
    }

    private static List<byte[]> leaves(BusFixture bus) {
        HttpResponse<String> response = bus.get(BusFixture.AUDITOR_TOKEN, "/v1/events?limit=10000");
        assertEquals(200, response.statusCode(), response::body);
        List<byte[]> leaves = new ArrayList<>();
        Arrays.stream(response.body().split("\n")).filter(line -> !line.isEmpty())
                .forEach(line -> leaves.add(MerkleHash.leafOfLine(line)));
        return leaves;
    }

    private static JsonNode json(BusFixture bus, String path) throws Exception {
        HttpResponse<String> response = bus.get(BusFixture.AUDITOR_TOKEN, path);
        assertEquals(200, response.statusCode(), response::body);
        return BusFixture.JSON.readTree(response.body());
    }

    private static List<byte[]> hashes(JsonNode proof) {
        List<byte[]> hashes = new ArrayList<>();
        proof.get("hashes").forEach(hash -> hashes.add(Base64.getDecoder().decode(hash.asText())));
        return hashes;
    }

    private static void refused(BusFixture bus, String path, String parameter) throws Exception {
        HttpResponse<String> response = bus.get(BusFixture.AUDITOR_TOKEN, path);
        assertEquals(400, response.statusCode(), path + " -> " + response.body());
        JsonNode error = BusFixture.JSON.readTree(response.body());
        assertEquals("BAD_REQUEST", error.path("code").asText(), response.body());
        assertTrue(error.path("message").asText().startsWith(parameter + " "), path + " -> " + response.body());
    }
}
