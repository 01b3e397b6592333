package io.msixpool.commands.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.TestStores;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.LeafHashes;
import io.msixpool.replay.merkle.MerkleTree;
import io.msixpool.replay.merkle.NoteKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL store, each appending with its eight group-commit writers and each
 * signing checkpoints as fast as it can, race (issue 13, item 3): positions are taken before commit,
 * so a later commit can fill a gap below events a node already saw. Every checkpoint either node
 * stored must still have the root of the log's first lines as they are in the end: no leaf ever
 * moved under a checkpoint, and every checkpoint extends the one before.
 */
class CheckpointRaceTest {
    private static final NoteKey KEY = NoteKey.generate("example.com/race");
    /** Each sender sends at least this many commands, and goes on until the nodes signed {@link #ROUNDS} times. */
    private static final int COMMANDS_PER_SENDER = 1000;
    private static final int MAX_COMMANDS_PER_SENDER = 6000;
    private static final int ROUNDS = 12;
    private static final int SENDERS_PER_NODE = 3;

    @Test
    void twoNodesRacingNeverSignCheckpointsALaterLogContradicts() throws Exception {
        StoreLocation store = StoreLocation.parse(TestStores.fresh(TestStores.Kind.POSTGRES));
        ExecutorService threads = Executors.newCachedThreadPool();
        AtomicBoolean sending = new AtomicBoolean(true);
        try (Engine first = Engine.open(store); Engine second = Engine.open(store)) {
            List<LogCheckpoints> nodes = List.of(LogCheckpoints.open(first, KEY), LogCheckpoints.open(second, KEY));
            AtomicInteger signed = new AtomicInteger();
            List<Future<Integer>> signers = new ArrayList<>();
            for (LogCheckpoints node : nodes) {
                signers.add(threads.submit(() -> {
                    int rounds = 0;
                    while (sending.get()) {
                        if (node.advance() > 0) {
                            rounds++;
                            signed.incrementAndGet();
                        }
                    }
                    return rounds;
                }));
            }
            // Proofs at the store's newest size make a node take the other's checkpoints mid-round.
            List<Future<List<Object[]>>> provers = new ArrayList<>();
            for (LogCheckpoints node : nodes) {
                provers.add(threads.submit(() -> {
                    List<Object[]> proofs = new ArrayList<>();
                    while (sending.get()) {
                        long size = node.coveredSize(Long.MAX_VALUE);
                        if (size > 1) {
                            proofs.add(new Object[] {size, node.consistencyProof(1, size)});
                        }
                        Thread.sleep(5);
                    }
                    return proofs;
                }));
            }
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < 2 * SENDERS_PER_NODE; s++) {
                Engine node = s % 2 == 0 ? first : second;
                Workload workload = new Workload(s, WorkloadShape.small(6), "race" + s);
                senders.add(threads.submit(() -> {
                    List<CompletableFuture<?>> answers = new ArrayList<>();
                    // A faster engine sends its share before the signers raced at all: go on until they did.
                    for (int i = 0; i < MAX_COMMANDS_PER_SENDER && (i < COMMANDS_PER_SENDER || signed.get() < ROUNDS); i++) {
                        answers.add(node.submitGrouped(workload.next(), "race"));
                        if (answers.size() == 16) {
                            answers.forEach(CompletableFuture::join);
                            answers.clear();
                        }
                    }
                    answers.forEach(CompletableFuture::join);
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
            sending.set(false);
            int signedRounds = 0;
            for (Future<Integer> signer : signers) {
                signedRounds += signer.get();
            }
            nodes.get(0).advance();
            nodes.get(1).advance();

            List<byte[]> leaves = LogCheckpointsTest.exportedLeaves(first);
            MerkleTree log = new MerkleTree(LeafHashes.of(leaves));
            List<Checkpoint> stored = storedCheckpoints(first);
            assertTrue(stored.size() > ROUNDS && signedRounds >= ROUNDS,
                    "the nodes raced through " + stored.size() + " checkpoints, " + signedRounds + " rounds");
            for (Checkpoint checkpoint : stored) {
                assertArrayEquals(log.root(checkpoint.size()), checkpoint.rootHash(),
                        "the checkpoint of " + checkpoint.size() + " events is not of the log's first lines");
            }
            assertEquals(leaves.size(), stored.getLast().size(), "once quiet, the newest checkpoint covers the whole log");
            int proofs = 0;
            for (Future<List<Object[]>> prover : provers) {
                for (Object[] proof : prover.get()) {
                    long size = (Long) proof[0];
                    @SuppressWarnings("unchecked")
                    List<byte[]> hashes = (List<byte[]>) proof[1];
                    assertTrue(MerkleTree.verifyConsistency(1, size, log.root(1), log.root(size), hashes),
                            "a proof served at " + size + " during the race");
                    proofs++;
                }
            }
            assertTrue(proofs > 10, proofs + " proofs served during the race");
            assertEquals(nodes.get(0).newest().note(), nodes.get(1).newest().note(), "both nodes serve the same checkpoint");
        } finally {
            sending.set(false);
            threads.shutdownNow();
        }
    }

    private static List<Checkpoint> storedCheckpoints(Engine engine) throws Exception {
        List<Checkpoint> checkpoints = new ArrayList<>();
        try (Connection connection = engine.transactions().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT note FROM " + CheckpointTables.CHECKPOINTS + " ORDER BY tree_size")) {
            while (rows.next()) {
                checkpoints.add(Checkpoint.open(rows.getString(1), KEY.verifier()));
            }
        }
        return checkpoints;
    }
}
