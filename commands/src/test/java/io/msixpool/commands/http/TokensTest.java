package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.support.ServeNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tokens file on real files: SHA-256 hashes at rest, never the tokens; the old form refused with
 * the way to migrate, and migrated in place keeping every token; owner-only, atomic changes; and a
 * token's name is recorded as the actor of its caller's events, so the file takes exactly the names
 * {@code msix apply --actor} takes: 1..64 printable ASCII characters (docs/event-log.md, "Actor names").
 */
class TokensTest {
    private static final String TOKEN = "0123456789abcdef";

    @TempDir
    Path temp;

    static Stream<String> badNames() {
        return Stream.of("", "two words", "tab\there", "caf\u00e9", "\u6f22\u5b57", "nl\n", "del\u007f", "x".repeat(65));
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void aNameOutsidePrintableAsciiIsRefusedNamingItsEntry(String name) throws IOException {
        Path file = tokensFile(ServeNode.tokenEntry(name, TOKEN, "operator").toString());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Tokens.read(file));
        assertTrue(refused.getMessage().endsWith("entry 0: name must be 1..64 printable ASCII characters, no spaces"),
                refused::getMessage);
        assertThrows(IllegalArgumentException.class, () -> TokensFile.add(temp.resolve("new.json"), name, Role.OPERATOR));
    }

    @Test
    void aPrintableNameOfUpTo64CharactersIsTheCallersName() throws IOException {
        for (String name : List.of("a", "cli:ops", "svc/deployer@node-7", "!~\"\\{}", "x".repeat(64))) {
            Tokens tokens = Tokens.read(tokensFile(ServeNode.tokenEntry(name, TOKEN, "operator").toString()));
            assertEquals(name, tokens.authenticate(TOKEN).orElseThrow().name(), name);
        }
    }

    @Test
    void theFileKeepsTheTokensHashesOnlyAndAuthenticatesTheTokens() throws IOException {
        Path file = temp.resolve("etc/tokens.json");
        String operator = TokensFile.add(file, "orchestrator", Role.OPERATOR);
        String auditor = TokensFile.add(file, "audit-team", Role.AUDITOR);
        String text = Files.readString(file);
        assertFalse(text.contains(operator) || text.contains(auditor), text);
        assertTrue(text.contains(TokensFile.sha256Hex(operator)) && text.contains(TokensFile.sha256Hex(auditor)), text);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));

        Tokens tokens = Tokens.read(file);
        assertEquals(Optional.of(new Caller("orchestrator", Role.OPERATOR)), tokens.authenticate(operator));
        assertEquals(Optional.of(new Caller("audit-team", Role.AUDITOR)), tokens.authenticate(auditor));
        String nearMiss = operator.substring(0, operator.length() - 1) + (operator.endsWith("A") ? "B" : "A");
        assertEquals(Optional.empty(), tokens.authenticate(nearMiss));
        assertEquals(Optional.empty(), tokens.authenticate(TokensFile.sha256Hex(operator)), "the hash is no token");
        assertEquals(Optional.empty(), tokens.authenticate(null));
    }

    @Test
    void aFileOfTheOldFormIsRefusedSayingHowAndMigratedInPlaceKeepingEveryToken() throws IOException {
        String operator = "op-7f3a9c1e5b2d4f6a8c0e";
        String auditor = "au-1b2c3d4e5f60718293a4";
        Path file = tokensFile("{\"name\":\"orchestrator\",\"token\":\"" + operator + "\",\"role\":\"operator\"},"
                + ServeNode.tokenEntry("hashed", "already-hashed-token", "operator") + ","
                + "{\"name\":\"audit-team\",\"token\":\"" + auditor + "\",\"role\":\"AUDITOR\"}");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Tokens.read(file));
        assertEquals("tokens file " + file + " holds tokens themselves (entry 0 has \"token\"); this version keeps only"
                + " their SHA-256 hashes. Convert it in place, keeping every name, role and token, with: msix token"
                + " migrate --tokens " + file, refused.getMessage());

        assertEquals(2, TokensFile.migrate(file));
        String text = Files.readString(file);
        assertFalse(text.contains(operator) || text.contains(auditor) || text.contains("\"token\""), text);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        Tokens tokens = Tokens.read(file);
        assertEquals(Optional.of(new Caller("orchestrator", Role.OPERATOR)), tokens.authenticate(operator));
        assertEquals(Optional.of(new Caller("hashed", Role.OPERATOR)), tokens.authenticate("already-hashed-token"));
        assertEquals(Optional.of(new Caller("audit-team", Role.AUDITOR)), tokens.authenticate(auditor));
        assertEquals(List.of("orchestrator", "hashed", "audit-team"),
                TokensFile.read(file).stream().map(TokensFile.Entry::name).toList(), "order kept");
        assertEquals(List.of(file), files(file.getParent()), "no temporary file left");

        byte[] migrated = Files.readAllBytes(file);
        assertEquals(0, TokensFile.migrate(file), "nothing left to migrate");
        assertArrayEquals(migrated, Files.readAllBytes(file));
    }

    static Stream<Arguments> badOldFiles() {
        return Stream.of(
                Arguments.of("{\"name\":\"a\",\"token\":\"short\",\"role\":\"operator\"}", "entry 0: token must be at least 16 characters"),
                Arguments.of("{\"name\":\"a\",\"token\":\"" + TOKEN + "\",\"role\":\"operator\"},"
                        + "{\"name\":\"a\",\"token\":\"fedcba9876543210\",\"role\":\"operator\"}", "entry 1: name \"a\" is listed twice"),
                Arguments.of("{\"name\":\"a\",\"token\":\"" + TOKEN + "\",\"role\":\"operator\"},"
                        + ServeNode.tokenEntry("b", TOKEN, "auditor"), "entry 1: the same token is listed twice (also as \"a\")"));
    }

    @ParameterizedTest
    @MethodSource("badOldFiles")
    void aMigrationOfABadOldFileIsRefusedChangingNothing(String entries, String problem) throws IOException {
        Path file = tokensFile(entries);
        byte[] before = Files.readAllBytes(file);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TokensFile.migrate(file));
        assertTrue(refused.getMessage().endsWith(problem), refused::getMessage);
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    static Stream<Arguments> badEntries() {
        String good = ServeNode.tokenEntry("a", TOKEN, "operator").toString();
        return Stream.of(
                Arguments.of(good.replace(TokensFile.sha256Hex(TOKEN), TokensFile.sha256Hex(TOKEN).toUpperCase()),
                        "entry 0: sha256 must be 64 lowercase hexadecimal digits"),
                Arguments.of(good.replace(TokensFile.sha256Hex(TOKEN), "abc"), "entry 0: sha256 must be 64 lowercase hexadecimal digits"),
                Arguments.of(good.replace("}", ",\"comment\":\"x\"}"), "entry 0: unknown field \"comment\""),
                Arguments.of(good.replace("}", ",\"created\":\"yesterday\"}"), "entry 0: created must be an ISO-8601 instant"),
                Arguments.of(good + "," + good.replace("\"a\"", "\"b\""), "entry 1: the same token is listed twice (also as \"a\")"),
                Arguments.of("{\"name\":\"a\",\"role\":\"operator\"}", "entry 0: \"sha256\" must be a string"));
    }

    @ParameterizedTest
    @MethodSource("badEntries")
    void aBadEntryIsRefusedNamingIt(String entries, String problem) throws IOException {
        Path file = tokensFile(entries);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Tokens.read(file));
        assertTrue(refused.getMessage().startsWith("tokens file " + file + ", " + problem), refused::getMessage);
    }

    @Test
    void anEmptyListIsAFileNobodyMayCallWith() throws IOException {
        assertEquals(0, Tokens.read(tokensFile("")).size());
        Path notAList = temp.resolve("object.json");
        ServeNode.writeOwnerOnly(notAList, "{}");
        assertThrows(IllegalArgumentException.class, () -> Tokens.read(notAList));
    }

    @Test
    void aFileItsGroupOrOthersMayReadOrWriteIsRefusedByEveryUseChangingNothing() throws IOException {
        Path file = temp.resolve("tokens.json");
        TokensFile.add(file, "orchestrator", Role.OPERATOR);
        for (String mode : List.of("rw-r-----", "rw--w----", "rw-rw-rw-", "rw----r--")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            byte[] before = Files.readAllBytes(file);
            List<Executable> uses = List.of(() -> Tokens.read(file), () -> Tokens.follow(file),
                    () -> TokensFile.add(file, "more", Role.AUDITOR), () -> TokensFile.revoke(file, "orchestrator"),
                    () -> TokensFile.migrate(file));
            for (Executable use : uses) {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, use);
                assertTrue(refused.getMessage().contains(file + " may be read or written by others (mode 0"
                        + Integer.toOctalString(octal(mode)) + ", " + mode + ")")
                        && refused.getMessage().endsWith("fix it with: chmod 600 " + file), refused::getMessage);
                assertArrayEquals(before, Files.readAllBytes(file));
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals(1, Tokens.read(file).size(), "fixed with chmod 600");
    }

    @Test
    void addsFromManyThreadsAtOnceLoseNone() throws Exception {
        Path file = temp.resolve("tokens.json");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> adds = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String name = "client-" + i;
                adds.add(threads.submit(() -> TokensFile.add(file, name, Role.OPERATOR)));
            }
            List<String> added = new ArrayList<>();
            for (Future<String> add : adds) {
                added.add(add.get());
            }
            Tokens tokens = Tokens.read(file);
            assertEquals(adds.size(), tokens.size(), "every add is in the file");
            for (int i = 0; i < added.size(); i++) {
                assertEquals("client-" + i, tokens.authenticate(added.get(i)).orElseThrow().name());
            }
            assertEquals(List.of(file), files(temp));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFollowedFileThatIsRemovedKeepsItsTokensUntilItIsBack() throws IOException {
        Path file = temp.resolve("tokens.json");
        String first = TokensFile.add(file, "first", Role.OPERATOR);
        Tokens tokens = Tokens.follow(file);
        Files.delete(file);
        assertEquals("first", tokens.authenticate(first).orElseThrow().name(), "still in force");
        assertTrue(tokens.problem().orElseThrow().contains("cannot read tokens file " + file + ": no such file"),
                tokens.problem()::toString);
        String second = TokensFile.add(file, "second", Role.AUDITOR);
        assertEquals(Optional.of(new Caller("second", Role.AUDITOR)), tokens.authenticate(second), "back");
        assertEquals(Optional.empty(), tokens.authenticate(first), "the new file is what counts");
        assertEquals(Optional.empty(), tokens.problem());
    }

    // ---- helpers

    /** An owner-only tokens file holding the list of {@code entries} (JSON objects, comma-separated). */
    private Path tokensFile(String entries) throws IOException {
        Path file = Files.createTempFile(temp, "tokens-", ".json");
        ServeNode.writeOwnerOnly(file, "[" + entries + "]");
        return file;
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> listed = Files.list(directory)) {
            return listed.toList();
        }
    }

    private static int octal(String mode) {
        int bits = 0;
        for (char c : mode.toCharArray()) {
            bits = bits << 1 | (c == '-' ? 0 : 1);
        }
        return bits;
    }
}
