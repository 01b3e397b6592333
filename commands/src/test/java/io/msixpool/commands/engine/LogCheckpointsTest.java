package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.LeafHashes;
import io.msixpool.replay.merkle.MerkleHash;
import io.msixpool.replay.merkle.MerkleTree;
import io.msixpool.replay.merkle.NoteKey;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints kept in the store, on both stores: the empty log's, then each covering the export's
 * lines in order, with proofs any RFC 9162 verifier accepts; a store keeps its origin and key; leaf
 * hashes changed in the store are never built on.
 */
class LogCheckpointsTest {
    private static final NoteKey KEY = NoteKey.generate("example.com/log-test");

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void checkpointsCoverTheExportInOrderAndProveIt(TestStores.Kind kind) {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(kind));
        try (Engine engine = Engine.open(store)) {
            LogCheckpoints checkpoints = LogCheckpoints.open(engine, KEY);
            Checkpoint empty = Checkpoint.open(checkpoints.newest().note(), KEY.verifier());
            assertEquals(0, empty.size());
            assertArrayEquals(MerkleHash.emptyRoot(), empty.rootHash());
            assertEquals(0, checkpoints.advance(), "nothing to cover in an empty log");

            send(engine, 1, 120);
            assertEquals(exportedLeaves(engine).size(), checkpoints.advance());
            Checkpoint first = Checkpoint.open(checkpoints.newest().note(), KEY.verifier());
            send(engine, 2, 80);
            checkpoints.advance();
            Checkpoint second = Checkpoint.open(checkpoints.newest().note(), KEY.verifier());

            List<byte[]> leaves = exportedLeaves(engine);
            MerkleTree exported = new MerkleTree(LeafHashes.of(leaves));
            assertEquals(leaves.size(), second.size(), "a quiet log is covered whole");
            assertArrayEquals(exported.root(first.size()), first.rootHash());
            assertArrayEquals(exported.root(second.size()), second.rootHash());
            assertTrue(MerkleTree.verifyConsistency(first.size(), second.size(), first.rootHash(), second.rootHash(),
                    checkpoints.consistencyProof(first.size(), second.size())));
            for (long index : new long[] {0, first.size() - 1, first.size(), second.size() - 1}) {
                assertTrue(MerkleTree.verifyInclusion(index, second.size(), leaves.get((int) index),
                        checkpoints.inclusionProof(index, second.size()), second.rootHash()), "leaf " + index);
            }
            assertThrows(IllegalArgumentException.class, () -> checkpoints.inclusionProof(0, second.size() + 1));
        }
        try (Engine reopened = Engine.open(store)) {
            LogCheckpoints again = LogCheckpoints.open(reopened, KEY);
            assertEquals(LogCheckpoints.storedNote(reopened).orElseThrow(), again.newest().note());
            assertEquals(0, again.advance());
        }
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aStoreKeepsItsOriginAndItsKey(TestStores.Kind kind) {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(kind));
        try (Engine engine = Engine.open(store)) {
            LogCheckpoints.open(engine, KEY);
            IllegalStateException otherName = assertThrows(IllegalStateException.class,
                    () -> LogCheckpoints.open(engine, NoteKey.generate("example.com/other")));
            assertTrue(otherName.getMessage().contains("example.com/log-test"), otherName.getMessage());
            IllegalStateException otherKey = assertThrows(IllegalStateException.class,
                    () -> LogCheckpoints.open(engine, NoteKey.generate(KEY.name())));
            assertTrue(otherKey.getMessage().contains(KEY.verifier().verifierKey()), otherKey.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void leafHashesChangedInTheStoreAreNeverBuiltOn(TestStores.Kind kind) throws Exception {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(kind));
        try (Engine engine = Engine.open(store)) {
            LogCheckpoints checkpoints = LogCheckpoints.open(engine, KEY);
            send(engine, 3, 40);
            checkpoints.advance();
            try (Connection connection = engine.transactions().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE " + CheckpointTables.LEAVES + " SET leaf_hash = (SELECT leaf_hash FROM "
                        + CheckpointTables.LEAVES + " WHERE leaf_index = 1) WHERE leaf_index = 0");
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LogCheckpoints.open(engine, KEY));
            assertTrue(refused.getMessage().contains("were changed"), refused.getMessage());
        }
    }

    static void send(Engine engine, long seed, int count) {
        for (var command : Workload.generate(seed, WorkloadShape.small(4), count)) {
            engine.send(command, "test");
        }
    }

    static List<byte[]> exportedLeaves(Engine engine) {
        try (var lines = EventLog.lines(engine)) {
            return lines.map(line -> MerkleHash.leafOfLine(line.toString())).toList();
        }
    }
}
