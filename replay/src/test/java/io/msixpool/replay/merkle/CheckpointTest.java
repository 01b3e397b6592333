package io.msixpool.replay.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** C2SP tlog-checkpoint: the body's lines, signing and opening, and the checkpoints refused. */
class CheckpointTest {
    private static final NoteKey KEY = NoteKey.generate("msix-pool/0a1b2c3d");

    @Test
    void aCheckpointIsOriginSizeAndRootThenTheSignature() {
        MerkleTree tree = tree(5);
        Checkpoint checkpoint = Checkpoint.of(KEY.name(), tree, 5);
        String note = checkpoint.sign(KEY);

        String root = Base64.getEncoder().encodeToString(tree.root(5));
        assertTrue(note.startsWith("msix-pool/0a1b2c3d\n5\n" + root + "\n\n\u2014 msix-pool/0a1b2c3d "), note);
        assertEquals(2, note.split("\n\n", -1).length);
        Checkpoint opened = Checkpoint.open(note, KEY.verifier());
        assertEquals(checkpoint, opened);
        assertArrayEquals(tree.root(5), opened.rootHash());
    }

    @Test
    void theEmptyLogHasACheckpointOfSizeZeroWhoseRootIsTheHashOfNothing() {
        Checkpoint empty = Checkpoint.of(KEY.name(), tree(0), 0);
        assertEquals("msix-pool/0a1b2c3d\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", empty.body());
        assertEquals(empty, Checkpoint.open(empty.sign(KEY), KEY.verifier()));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(KEY.name(), 0, MerkleHash.leafOfLine("x")));
    }

    @Test
    void aTamperedCheckpointIsRefused() {
        MerkleTree tree = tree(9);
        String note = Checkpoint.of(KEY.name(), tree, 9).sign(KEY);
        List<String> tampered = new ArrayList<>(List.of(
                note.replaceFirst("\n9\n", "\n8\n"),
                note.replace(Base64.getEncoder().encodeToString(tree.root(9)), Base64.getEncoder().encodeToString(tree.root(8))),
                note.replaceFirst("0a1b2c3d\n", "0a1b2c3e\n")));
        for (String changed : tampered) {
            assertThrows(IllegalArgumentException.class, () -> Checkpoint.open(changed, KEY.verifier()), changed);
        }
        NoteKey other = NoteKey.generate(KEY.name());
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.open(note, other.verifier()), "another key of the same name");
        NoteKey otherLog = NoteKey.generate("msix-pool/ffffffff");
        String signedByOther = SignedNote.sign(Checkpoint.of(KEY.name(), tree, 9).body(), otherLog);
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.open(signedByOther, otherLog.verifier()),
                "a checkpoint of one log signed by another log's key");
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(KEY.name(), tree, 9).sign(otherLog));
    }

    @Test
    void bodiesOutsideTheFormatAreRefused() {
        String root = Base64.getEncoder().encodeToString(MerkleHash.leafOfLine("x"));
        for (String body : List.of(
                "o\n05\n" + root + "\n", "o\n-5\n" + root + "\n", "o\n+5\n" + root + "\n", "o\n5 \n" + root + "\n",
                "o\n99999999999999999999\n" + root + "\n", "o\n5\n" + root.replace("=", "") + "\n",
                "o\n5\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n", "o\n5\n", "o\n5\n" + root,
                "o p\n5\n" + root + "\n", "\n5\n" + root + "\n", "o+k\n5\n" + root + "\n")) {
            assertThrows(IllegalArgumentException.class, () -> Checkpoint.parseBody(body), body);
        }
        Checkpoint withExtension = Checkpoint.parseBody("o\n5\n" + root + "\nan extension\n");
        assertEquals(List.of("an extension"), withExtension.extensions());
        assertEquals("o\n5\n" + root + "\nan extension\n", withExtension.body());
    }

    @Test
    void aCheckpointFollowsOnlyFromATreeThatExtendsThePreviousOne() {
        MerkleTree tree = tree(12);
        Checkpoint first = Checkpoint.of(KEY.name(), tree, 7);

        assertEquals(Checkpoint.of(KEY.name(), tree, 12), first.next(tree, 12));
        assertEquals(first, first.next(tree, 7));
        assertThrows(IllegalStateException.class, () -> first.next(tree, 6), "a smaller tree");
        PackedLeafHashes forked = new PackedLeafHashes();
        for (int i = 0; i < 12; i++) {
            forked.addLine(i == 3 ? "{\"edited\":true}" : "{\"line\":" + i + "}");
        }
        assertThrows(IllegalStateException.class, () -> first.next(new MerkleTree(forked), 12), "an edited event");
        assertThrows(IllegalStateException.class, () -> first.next(tree(5), 5), "a shorter log");
    }

    @Test
    void aNewOriginIsAKeyNameOfTheDefaultForm() {
        String origin = Checkpoint.randomOrigin();
        assertTrue(origin.matches("msix-pool/[0-9a-f]{8}"), origin);
        assertTrue(NoteKey.isValidName(origin));
    }

    private static MerkleTree tree(int size) {
        PackedLeafHashes leaves = new PackedLeafHashes();
        for (int i = 0; i < size; i++) {
            leaves.addLine("{\"line\":" + i + "}");
        }
        return new MerkleTree(leaves);
    }
}
