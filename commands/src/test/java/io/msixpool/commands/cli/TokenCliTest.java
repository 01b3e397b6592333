package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msix token add|list|revoke|migrate} as real processes on real files (issue 11, item 6): the
 * file keeps SHA-256 hashes only, the token is printed once, every change is an atomic owner-only
 * rewrite, a file of the old form or one others may read is refused with the fix, and a running
 * {@code msix serve} takes every change without a restart.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TokenCliTest {
    /** 32 random bytes, base64url without padding. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern PRINTED_TOKEN = Pattern.compile("shown this once[^\\n]*: ([A-Za-z0-9_-]{43})\\n");

    @TempDir
    Path dir;

    @Test
    void addPrintsTheNewTokenOnceAndTheFileKeepsOnlyItsHash() throws IOException {
        Path file = dir.resolve("etc/msix/tokens.json");
        MsixProcess.Result added = MsixProcess.run("", "token", "add", "orchestrator", "--role", "operator",
                "--tokens", file.toString());
        assertEquals(0, added.exitCode(), () -> describe(added));
        assertTrue(added.out().endsWith("\n") && TOKEN.matcher(added.out().strip()).matches()
                && added.out().lines().count() == 1, () -> "stdout is the token and a newline only: " + describe(added));
        String token = added.out().strip();
        assertTrue(added.err().contains(file.toString()), () -> "stderr says where it went: " + describe(added));
        assertFalse(added.err().contains(token), () -> "the token is printed once, on stdout: " + describe(added));

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file),
                "created readable and writable by its owner only");
        String text = Files.readString(file);
        assertFalse(text.contains(token), () -> "the token itself is not in the file: " + text);
        JsonNode entry = ServeNode.json(text).path(0);
        assertEquals("orchestrator", entry.path("name").asText(), text);
        assertEquals("operator", entry.path("role").asText(), text);
        assertEquals(ServeNode.sha256Hex(token), entry.path("sha256").asText(), text);
        assertTrue(entry.path("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), text);

        MsixProcess.Result second = MsixProcess.run("", "token", "add", "audit-team", "--role", "auditor",
                "--tokens", file.toString());
        assertEquals(0, second.exitCode(), () -> describe(second));
        assertFalse(second.out().strip().equals(token), "every token is new");
        assertFalse(Files.readString(file).contains(second.out().strip()));
        assertEquals(List.of("orchestrator", "audit-team"), names(file));
        assertEquals(List.of(), strays(file), "no temporary file is left beside it");
    }

    @Test
    void listShowsNamesRolesAndCreationNeverHashes() throws IOException {
        Path file = dir.resolve("tokens.json");
        token(0, "add", "orchestrator", "--role", "operator", "--tokens", file.toString());
        token(0, "add", "audit-team", "--role", "AUDITOR", "--tokens", file.toString());
        JsonNode entries = ServeNode.json(Files.readString(file));

        MsixProcess.Result table = token(0, "list", "--tokens", file.toString());
        List<String> lines = table.out().lines().toList();
        assertEquals(3, lines.size(), () -> "a header and one line per token: " + describe(table));
        assertTrue(lines.get(0).matches("NAME\\s+ROLE\\s+CREATED"), () -> describe(table));
        assertTrue(lines.get(1).matches("orchestrator\\s+operator\\s+" + entries.path(0).path("created").asText()),
                () -> describe(table));
        assertTrue(lines.get(2).matches("audit-team\\s+auditor\\s+" + entries.path(1).path("created").asText()),
                () -> describe(table));

        MsixProcess.Result json = token(0, "list", "--json", "--tokens", file.toString());
        JsonNode listed = ServeNode.json(json.out());
        assertEquals(2, listed.size(), json::out);
        for (int i = 0; i < 2; i++) {
            assertEquals(List.of("name", "role", "created"), fieldNames(listed.path(i)), json::out);
            assertEquals(entries.path(i).path("name"), listed.path(i).path("name"));
        }
        for (MsixProcess.Result listing : List.of(table, json)) {
            for (JsonNode entry : entries) {
                assertFalse(listing.out().contains(entry.path("sha256").asText()), () -> "no hash: " + describe(listing));
            }
        }
    }

    @Test
    void revokeRemovesTheNameAndAnAbsentNameExits3ChangingNothing() throws IOException {
        Path file = dir.resolve("tokens.json");
        token(0, "add", "orchestrator", "--role", "operator", "--tokens", file.toString());
        token(0, "add", "audit-team", "--role", "auditor", "--tokens", file.toString());
        MsixProcess.Result revoked = token(0, "revoke", "audit-team", "--tokens", file.toString());
        assertTrue(revoked.err().contains("audit-team") && revoked.out().isEmpty(), () -> describe(revoked));
        assertEquals(List.of("orchestrator"), names(file));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));

        byte[] before = Files.readAllBytes(file);
        MsixProcess.Result absent = token(3, "revoke", "audit-team", "--tokens", file.toString());
        assertTrue(absent.err().contains("no token named \"audit-team\" in " + file), () -> describe(absent));
        assertArrayEquals(before, Files.readAllBytes(file));

        token(0, "revoke", "orchestrator", "--tokens", file.toString());
        assertEquals(List.of(), names(file), "the last one may go too: nobody may call");
        assertEquals(List.of(), strays(file));
    }

    @Test
    void addRefusesANamePresentABadNameAndABadRoleWithExit2ChangingNothing() throws IOException {
        Path file = dir.resolve("tokens.json");
        token(0, "add", "orchestrator", "--role", "operator", "--tokens", file.toString());
        byte[] before = Files.readAllBytes(file);
        MsixProcess.Result twice = token(2, "add", "orchestrator", "--role", "auditor", "--tokens", file.toString());
        assertTrue(twice.err().contains("\"orchestrator\" is already in " + file), () -> describe(twice));
        MsixProcess.Result spaces = token(2, "add", "two words", "--role", "operator", "--tokens", file.toString());
        assertTrue(spaces.err().contains("1..64 printable ASCII characters, no spaces"), () -> describe(spaces));
        MsixProcess.Result role = token(2, "add", "root", "--role", "admin", "--tokens", file.toString());
        assertTrue(role.err().contains("role must be \"operator\" or \"auditor\", not \"admin\""), () -> describe(role));
        for (MsixProcess.Result refused : List.of(twice, spaces, role)) {
            assertTrue(refused.out().isEmpty(), () -> "no token printed: " + describe(refused));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(), strays(file));
    }

    @Test
    void withoutTokensTheFileIsTheEmbeddedStoresAndAPostgresStoreNeedsTokens() throws IOException {
        Path store = dir.resolve("store");
        token(0, "add", "me", "--role", "operator", "--store", store.toString());
        assertEquals(List.of("me"), names(store.resolve("tokens.json")));

        MsixProcess.Result postgres = token(2, "list", "--store", "jdbc:postgresql://localhost/msix?user=msix");
        assertTrue(postgres.err().contains("a PostgreSQL store has no directory for a tokens file: give --tokens FILE"),
                () -> describe(postgres));
        MsixProcess.Result neither = token(2, "list");
        assertTrue(neither.err().contains("give --tokens FILE or --store STORE"), () -> describe(neither));
    }

    @Test
    void aFileOfTheOldFormIsRefusedUntilMigratedInPlaceKeepingEveryToken() throws IOException {
        Path file = dir.resolve("tokens.json");
        String operator = "op-7f3a9c1e5b2d4f6a8c0e";
        String auditor = "au-1b2c3d4e5f60718293a4";
        ServeNode.writeOwnerOnly(file, "[{\"name\":\"orchestrator\",\"token\":\"" + operator + "\",\"role\":\"operator\"},"
                + "{\"name\":\"audit-team\",\"token\":\"" + auditor + "\",\"role\":\"auditor\"}]");

        MsixProcess.Result refused = token(2, "list", "--tokens", file.toString());
        assertTrue(refused.err().contains("msix token migrate --tokens " + file), () -> "says how: " + describe(refused));
        assertFalse(refused.err().contains(operator), () -> "never repeats a token: " + describe(refused));

        MsixProcess.Result migrated = token(0, "migrate", "--tokens", file.toString());
        assertTrue(migrated.err().contains("2"), () -> "says how many: " + describe(migrated));
        String text = Files.readString(file);
        assertFalse(text.contains(operator) || text.contains(auditor) || text.contains("\"token\""), text);
        JsonNode entries = ServeNode.json(text);
        assertEquals(List.of("orchestrator", "audit-team"), names(file));
        assertEquals(ServeNode.sha256Hex(operator), entries.path(0).path("sha256").asText(), text);
        assertEquals("operator", entries.path(0).path("role").asText(), text);
        assertEquals(ServeNode.sha256Hex(auditor), entries.path(1).path("sha256").asText(), text);
        assertEquals("auditor", entries.path(1).path("role").asText(), text);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(List.of(), strays(file));

        token(0, "list", "--tokens", file.toString());
        byte[] after = Files.readAllBytes(file);
        MsixProcess.Result again = token(0, "migrate", "--tokens", file.toString());
        assertTrue(again.err().contains("nothing to migrate"), () -> describe(again));
        assertArrayEquals(after, Files.readAllBytes(file), "a second migration changes nothing");
    }

    @Test
    void aFileOthersMayReadIsRefusedByEveryTokenCommandNamingItsModeAndTheFix() throws IOException {
        Path file = dir.resolve("tokens.json");
        token(0, "add", "orchestrator", "--role", "operator", "--tokens", file.toString());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        byte[] before = Files.readAllBytes(file);
        for (String[] call : List.of(new String[] {"list"}, new String[] {"add", "more", "--role", "auditor"},
                new String[] {"revoke", "orchestrator"}, new String[] {"migrate"})) {
            MsixProcess.Result refused = token(2, Stream.concat(Stream.of(call),
                    Stream.of("--tokens", file.toString())).toArray(String[]::new));
            assertTrue(refused.err().contains(file + " may be read or written by others (mode 0640, rw-r-----)")
                    && refused.err().contains("chmod 600 " + file),
                    () -> call[0] + ": names the file, its mode and the fix: " + describe(refused));
            assertArrayEquals(before, Files.readAllBytes(file));
        }
    }

    @Test
    void addsFromSeveralProcessesAtOnceLoseNone() throws Exception {
        Path file = dir.resolve("tokens.json");
        List<Process> adds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            adds.add(MsixProcess.builder("token", "add", "client-" + i, "--role", "operator", "--tokens", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process add : adds) {
            assertTrue(add.waitFor(2, TimeUnit.MINUTES));
            assertEquals(0, add.exitValue());
        }
        assertEquals(List.of("client-0", "client-1", "client-2", "client-3"), names(file).stream().sorted().toList());
        assertEquals(List.of(), strays(file));
    }

    @Test
    void aRunningServeTakesAnAddedTokenAndRefusesARevokedOneWithoutARestart() throws Exception {
        Path store = Path.of(TestStores.fresh(TestStores.Kind.EMBEDDED));
        Path file = store.resolve("tokens.json").toAbsolutePath();
        try (ServeNode node = ServeNode.start("--store", store.toString(), "--port", "0")) {
            Matcher printed = PRINTED_TOKEN.matcher(node.stderr());
            assertTrue(printed.find(), () -> "the first start shows its operator token once: " + node.stderr());
            String first = printed.group(1);
            assertFalse(printed.find(), "once: " + node.stderr());
            assertFalse(Files.readString(file).contains(first), "the file keeps its hash only");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
            assertEquals(200, status(node, first), "the printed token is the operator's");

            String added = token(0, "add", "me", "--role", "auditor", "--store", store.toString()).out().strip();
            long addedAt = System.nanoTime();
            awaitStatus(node, added, code -> code == 200, "a token added while serving is taken");
            System.out.printf("TokenCliTest: an added token was accepted %.0f ms after msix token add ended%n",
                    (System.nanoTime() - addedAt) / 1e6);

            token(0, "revoke", "operator", "--store", store.toString());
            long revokedAt = System.nanoTime();
            awaitStatus(node, first, code -> code == 401, "a revoked token is refused");
            System.out.printf("TokenCliTest: a revoked token was refused %.0f ms after msix token revoke ended%n",
                    (System.nanoTime() - revokedAt) / 1e6);
            assertEquals(200, status(node, added), "the others stay");

            Files.writeString(file, "[{\"name\":"); // an edit in place gone wrong
            assertEquals(200, status(node, added), "an invalid file keeps the tokens in force before it");
            assertEquals(200, status(node, added));
            List<String> logged = node.stderr().lines().filter(line -> line.contains("is not JSON")).toList();
            assertEquals(1, logged.size(), () -> "one line, once: " + node.stderr());
            assertTrue(logged.get(0).contains(file.toString()) && logged.get(0).contains("stay in force"), logged::toString);
            assertFalse(node.stderr().contains("\tat "), () -> "no stack trace: " + node.stderr());
        }
    }

    @Test
    void helpShowsExamplesAndUsageErrorsExit2() throws Exception {
        for (String sub : List.of("add", "list", "revoke", "migrate")) {
            MsixProcess.Result help = token(0, sub, "--help");
            assertTrue(help.out().contains("Example") && help.out().contains("msix token " + sub), () -> describe(help));
        }
        MsixProcess.Result help = token(0, "--help");
        assertTrue(help.out().contains("TOKEN=$(msix token add"), () -> describe(help));
        MsixProcess.Result noName = token(2, "add", "--role", "operator", "--tokens", dir.resolve("t.json").toString());
        assertTrue(noName.err().contains("NAME"), () -> describe(noName));
        MsixProcess.Result noRole = token(2, "add", "me", "--tokens", dir.resolve("t.json").toString());
        assertTrue(noRole.err().contains("--role"), () -> describe(noRole));
        assertFalse(Files.exists(dir.resolve("t.json")), "a usage error creates nothing");
    }

    // ---- helpers

    private static MsixProcess.Result token(int exit, String... args) {
        String[] call = Stream.concat(Stream.of("token"), Stream.of(args)).toArray(String[]::new);
        MsixProcess.Result result = MsixProcess.run("", call);
        assertEquals(exit, result.exitCode(), () -> "msix " + String.join(" ", call) + ": " + describe(result));
        return result;
    }

    private static int status(ServeNode node, String token) {
        try {
            HttpResponse<String> response = node.get(token, "/v1/events?limit=1");
            return response.statusCode();
        } catch (IOException | InterruptedException e) {
            return fail(e);
        }
    }

    /** Polls until the server answers {@code token} as {@code expected} says, failing after 30 s. */
    private static void awaitStatus(ServeNode node, String token, IntPredicate expected, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = status(node, token);
        while (!expected.test(last)) {
            if (System.nanoTime() > deadline) {
                fail(what + ": still " + last + " after 30 s\n" + node.stderr());
            }
            pause();
            last = status(node, token);
        }
    }

    /** Paces the polling; what is awaited is the answer, never the time. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    private static List<String> names(Path file) throws IOException {
        return ServeNode.json(Files.readString(file)).findValuesAsText("name");
    }

    private static List<String> fieldNames(JsonNode entry) {
        List<String> names = new ArrayList<>();
        entry.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Files beside the tokens file other than itself: temporary files an atomic rewrite left behind. */
    private static List<Path> strays(Path file) throws IOException {
        try (Stream<Path> beside = Files.list(file.getParent())) {
            return beside.filter(path -> !path.equals(file)).toList();
        }
    }

}
