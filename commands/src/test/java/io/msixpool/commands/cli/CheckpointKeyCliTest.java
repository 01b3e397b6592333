package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key that signs the log's checkpoints as a user meets it (issue 13, item 2): msix serve makes
 * STORE/checkpoint.key on its first start and prints the verifier key; msix key prints the same
 * while it runs; the origin is fixed with the key; a PostgreSQL store needs --signing-key.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CheckpointKeyCliTest {
    private static final String VERIFIER_KEY = "[!-*,-~]+\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}";

    @TempDir
    Path dir;

    @Test
    void theFirstStartMakesTheKeyAndEveryStartAndMsixKeyShowItsVerifierKey() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        Path keyFile = Path.of(store).resolve("checkpoint.key").toAbsolutePath();
        String verifierKey;
        try (ServeNode node = ServeNode.start("--store", store, "--port", "0")) {
            verifierKey = node.verifierKey();
            assertTrue(verifierKey.matches("msix-pool/[0-9a-f]{8}\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}"), verifierKey);
            assertTrue(node.stderr().contains("msix: wrote a new checkpoint signing key for log "
                    + verifierKey.substring(0, verifierKey.indexOf('+')) + " to " + keyFile + " (readable by you only)"), node::stderr);
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keyFile));
            // name+id: the name holds no '+' and the id is hex, but the key's base64 may hold '+'
            String nameAndId = verifierKey.substring(0, verifierKey.indexOf('+', verifierKey.indexOf('+') + 1));
            assertTrue(Files.readString(keyFile).startsWith("PRIVATE+KEY+" + nameAndId + "+"), nameAndId);

            MsixProcess.Result key = MsixProcess.run("", "key", "--store", store);
            assertEquals(0, key.exitCode(), () -> describe(key));
            assertEquals(verifierKey + "\n", key.out(), "msix key while serve runs");
        }
        try (ServeNode again = ServeNode.start("--store", store, "--port", "0")) {
            assertEquals(verifierKey, again.verifierKey(), "a later start keeps the key");
        }
        MsixProcess.Result otherOrigin = MsixProcess.run("", "serve", "--store", store, "--port", "0", "--log-origin", "elsewhere");
        assertEquals(2, otherOrigin.exitCode(), () -> describe(otherOrigin));
        assertTrue(otherOrigin.err().contains("--log-origin elsewhere: the log's origin is "
                + verifierKey.substring(0, verifierKey.indexOf('+')) + ", fixed when its key " + keyFile + " was made"),
                () -> describe(otherOrigin));
    }

    @Test
    void logOriginNamesANewKeyAndAnInvalidOneIsRefused() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        try (ServeNode node = ServeNode.start("--store", store, "--port", "0", "--log-origin", "bus.example/msix")) {
            assertTrue(node.verifierKey().startsWith("bus.example/msix+"), node.verifierKey());
        }
        for (String origin : new String[] {"two words", "a+b", ""}) {
            MsixProcess.Result run = MsixProcess.run("", "serve", "--store", TestStores.fresh(TestStores.Kind.EMBEDDED),
                    "--port", "0", "--log-origin", origin);
            assertEquals(2, run.exitCode(), () -> describe(run));
            assertTrue(run.err().contains("a log origin is printable ASCII without spaces or +"), () -> describe(run));
        }
    }

    @Test
    void aKeyOthersMayReadIsRefused() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        MsixProcess.Result created = MsixProcess.run("", "key", "--create", "--store", store);
        assertEquals(0, created.exitCode(), () -> describe(created));
        Path keyFile = Path.of(store).resolve("checkpoint.key").toAbsolutePath();
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r-----"));

        for (String[] command : new String[][] {{"serve", "--store", store, "--port", "0"}, {"key", "--store", store}}) {
            MsixProcess.Result run = MsixProcess.run("", command);
            assertEquals(2, run.exitCode(), () -> describe(run));
            assertTrue(run.err().contains("a signing key must be its owner's only; fix it with: chmod 600 " + keyFile),
                    () -> describe(run));
            assertFalse(run.out().contains("listening"), () -> describe(run));
        }
    }

    @Test
    void aPostgresStoreNeedsASigningKeyWhichMsixKeyCreates() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.POSTGRES);
        Path tokens = dir.resolve("tokens.json");
        ServeNode.writeOwnerOnly(tokens, "[]");
        MsixProcess.Result without = MsixProcess.run("", "serve", "--store", store, "--tokens", tokens.toString(), "--port", "0");
        assertEquals(2, without.exitCode(), () -> describe(without));
        assertTrue(without.err().contains("a PostgreSQL store has no directory for a signing key: give --signing-key FILE"),
                () -> describe(without));

        Path keyFile = dir.resolve("checkpoint.key");
        MsixProcess.Result created = MsixProcess.run("", "key", "--create", "--signing-key", keyFile.toString(),
                "--log-origin", "bus.example/msix");
        assertEquals(0, created.exitCode(), () -> describe(created));
        String verifierKey = created.out().strip();
        assertTrue(verifierKey.matches("bus\\.example/msix\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}"), verifierKey);
        assertTrue(verifierKey.matches(VERIFIER_KEY));
        MsixProcess.Result twice = MsixProcess.run("", "key", "--create", "--signing-key", keyFile.toString());
        assertEquals(2, twice.exitCode(), () -> describe(twice));
        assertTrue(twice.err().contains(keyFile + " exists: a log keeps its key"), () -> describe(twice));

        try (ServeNode node = ServeNode.start("--store", store, "--tokens", tokens.toString(), "--port", "0",
                "--signing-key", keyFile.toString())) {
            assertEquals(verifierKey, node.verifierKey());
        }
        MsixProcess.Result neither = MsixProcess.run("", "key");
        assertEquals(2, neither.exitCode(), () -> describe(neither));
        assertTrue(neither.err().contains("give --signing-key FILE or --store STORE"), () -> describe(neither));
    }
}
