package io.msixpool.replay.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys and signed notes against the vectors of Go's golang.org/x/mod/sumdb/note (the resource names
 * its source): the same key ids, the same signature byte for byte (Ed25519 is deterministic), and
 * the notes and keys it refuses refused here.
 */
class SignedNoteTest {
    private static final JsonNode GO = MerkleTreeTest.json("/merkle/go-note-vectors.json");
    private static final String TEXT = GO.get("text").asText();
    private static final String PETER_SIG = GO.get("peterSignature").asText();
    private static final String ENOCH_SIG = GO.get("enochSignature").asText();

    @Test
    void goesPrivateKeyGivesItsVerifierKeyAndItsSignature() {
        NoteKey peter = NoteKey.parsePrivate(GO.get("peterPrivateKey").asText());

        assertEquals("PeterNeumann", peter.name());
        assertEquals("c74f20a3", peter.keyIdHex());
        assertEquals(GO.get("peterVerifierKey").asText(), peter.verifierKey());
        assertEquals(GO.get("peterPrivateKey").asText(), peter.privateKeyText());
        assertEquals(TEXT + "\n" + PETER_SIG, SignedNote.sign(TEXT, peter), "Go's TestSign output");
    }

    @Test
    void aNoteOpensWithEitherOfItsSignersKeys() {
        String note = TEXT + "\n" + PETER_SIG + ENOCH_SIG;
        assertEquals(TEXT, SignedNote.open(note, NoteKey.parseVerifier(GO.get("peterVerifierKey").asText())));
        assertEquals(TEXT, SignedNote.open(note, NoteKey.parseVerifier(GO.get("enochVerifierKey").asText())));
    }

    @Test
    void aNoteWithoutAValidSignatureOfTheKeyIsRefused() {
        NoteKey peter = NoteKey.parseVerifier(GO.get("peterVerifierKey").asText());
        NoteKey enoch = NoteKey.parseVerifier(GO.get("enochVerifierKey").asText());
        // Go cuts the line at byte 60; the em dash is 3 bytes of UTF-8 and one Java char.
        String forged = PETER_SIG.substring(0, 58) + "ABCD" + PETER_SIG.substring(58);

        assertThrows(IllegalArgumentException.class, () -> SignedNote.open(TEXT + "\n" + forged, peter));
        assertThrows(IllegalArgumentException.class, () -> SignedNote.open(TEXT + "\n" + PETER_SIG, enoch), "unsigned by enoch");
        assertThrows(IllegalArgumentException.class, () -> SignedNote.open(
                TEXT.replace("cryptography", "Cryptography") + "\n" + PETER_SIG, peter), "a changed text");
        String renamed = PETER_SIG.replace("PeterNeumann", "CarmenSandiego");
        assertThrows(IllegalArgumentException.class, () -> SignedNote.open(TEXT + "\n" + renamed, peter));
    }

    @Test
    void malformedNotesAreRefusedAsGoRefusesThem() {
        NoteKey peter = NoteKey.parseVerifier(GO.get("peterVerifierKey").asText());
        List<String> malformed = List.of(
                TEXT,
                TEXT + "\n",
                TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
                "\u0001" + TEXT + "\n" + PETER_SIG,
                "\ud800" + TEXT + "\n" + PETER_SIG,
                TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
                TEXT + "\n" + PETER_SIG.repeat(101));
        for (String note : malformed) {
            assertThrows(IllegalArgumentException.class, () -> SignedNote.open(note, peter), note);
        }
        NoteKey signer = NoteKey.parsePrivate(GO.get("peterPrivateKey").asText());
        for (String text : List.of("abc", "", "a\n\nb\n", "tab\there\n")) {
            assertThrows(IllegalArgumentException.class, () -> SignedNote.sign(text, signer), text);
        }
    }

    @Test
    void everyManglingOfAKeyIsRefused() {
        for (String key : List.of(GO.get("peterVerifierKey").asText(), GO.get("peterPrivateKey").asText())) {
            boolean verifier = !key.startsWith("PRIVATE");
            for (String mangled : manglings(key)) {
                assertThrows(IllegalArgumentException.class,
                        () -> parse(mangled, verifier), "accepted " + mangled);
            }
        }
        for (JsonNode bad : GO.get("badVerifierKeys")) {
            assertThrows(IllegalArgumentException.class, () -> NoteKey.parseVerifier(bad.asText()), bad.asText());
        }
    }

    @Test
    void aGeneratedKeySignsWhatItsVerifierKeyOpens() {
        NoteKey key = NoteKey.generate("msix-pool/0a1b2c3d");
        NoteKey verifier = NoteKey.parseVerifier(key.verifierKey());
        NoteKey reread = NoteKey.parsePrivate(key.privateKeyText());

        assertFalse(verifier.canSign());
        assertTrue(reread.canSign());
        assertEquals(key.verifierKey(), reread.verifierKey());
        String note = SignedNote.sign("hello\n", reread);
        assertEquals("hello\n", SignedNote.open(note, verifier));
        assertEquals(key.verifierKey(), key.toString(), "printing a key never shows its private part");
        for (String name : List.of("", "a b", "a+b", "caf\u00e9", "tab\t", "nbsp\u00a0")) {
            assertThrows(IllegalArgumentException.class, () -> NoteKey.generate(name), "the name " + name);
        }
    }

    private static void parse(String key, boolean verifier) {
        if (verifier) {
            NoteKey.parseVerifier(key);
        } else {
            NoteKey.parsePrivate(key);
        }
    }

    /** Go's manglings: every proper substring, and every character changed by one (TestNewVerifier, TestNewSigner). */
    private static List<String> manglings(String key) {
        List<String> mangled = new ArrayList<>();
        for (int i = 0; i <= key.length(); i++) {
            for (int j = i + 1; j <= key.length(); j++) {
                if (i != 0 || j != key.length()) {
                    mangled.add(key.substring(i, j));
                }
            }
        }
        for (int i = 0; i < key.length(); i++) {
            char[] chars = key.toCharArray();
            chars[i]++;
            mangled.add(new String(chars));
        }
        return mangled;
    }
}
