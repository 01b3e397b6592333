package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.replay.merkle.NoteKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint signing key's file: made once, owner-only, Go's key form, refused when others may read it. */
class SigningKeyFileTest {
    /** The private key of Go's golang.org/x/mod/sumdb/note/note_test.go, as its tools write one. */
    private static final String GO_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

    @TempDir
    Path dir;

    @Test
    void aNewKeyIsWrittenOwnerOnlyOnceAndReadBack() throws Exception {
        Path file = dir.resolve("store/checkpoint.key");
        NoteKey created = SigningKeyFile.create(file, "msix-pool/0a1b2c3d").orElseThrow();

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(created.privateKeyText() + "\n", Files.readString(file));
        assertEquals(created.verifierKey(), SigningKeyFile.read(file).verifierKey());
        assertEquals(Optional.empty(), SigningKeyFile.create(file, "msix-pool/ffffffff"), "an existing key is kept");
        assertEquals(created.verifierKey(), SigningKeyFile.read(file).verifierKey());
    }

    @Test
    void processesCreatingTheKeyAtOnceMakeOne() throws Exception {
        Path file = dir.resolve("checkpoint.key");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<NoteKey>>> creating = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                creating.add(threads.submit(() -> SigningKeyFile.create(file, "msix-pool/0a1b2c3d")));
            }
            List<NoteKey> created = new ArrayList<>();
            for (Future<Optional<NoteKey>> each : creating) {
                each.get().ifPresent(created::add);
            }
            assertEquals(1, created.size(), "one creator");
            assertEquals(created.get(0).verifierKey(), SigningKeyFile.read(file).verifierKey());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aKeyMadeByGosToolsIsRead() throws Exception {
        Path file = Files.writeString(dir.resolve("go.key"), GO_KEY + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", SigningKeyFile.read(file).verifierKey());
    }

    @Test
    void aKeyOthersMayReadAMissingOneAndOtherTextAreRefusedNamingTheFile() throws Exception {
        Path open = Files.writeString(dir.resolve("open.key"), GO_KEY + "\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        String refused = assertThrows(IllegalArgumentException.class, () -> SigningKeyFile.read(open)).getMessage();
        assertTrue(refused.contains(open + " may be read or written by others (mode 0644, rw-r--r--): a signing key"
                + " must be its owner's only; fix it with: chmod 600 " + open), refused);

        Path missing = dir.resolve("missing.key");
        assertEquals("no signing key at " + missing,
                assertThrows(IllegalArgumentException.class, () -> SigningKeyFile.read(missing)).getMessage());

        Path verifier = Files.writeString(dir.resolve("vkey"), "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n");
        Files.setPosixFilePermissions(verifier, PosixFilePermissions.fromString("rw-------"));
        String notKey = assertThrows(IllegalArgumentException.class, () -> SigningKeyFile.read(verifier)).getMessage();
        assertTrue(notKey.startsWith(verifier + " is not a signing key: "), notKey);
    }
}
