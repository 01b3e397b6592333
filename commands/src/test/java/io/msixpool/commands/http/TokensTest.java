package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A token's name is recorded as the actor of its caller's events, so a tokens file takes exactly the
 * names {@code msix apply --actor} takes: 1..64 printable ASCII characters (docs/event-log.md,
 * "Actor names").
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
        Path file = tokensFile(name);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Tokens.read(file));
        assertTrue(refused.getMessage().endsWith("entry 0: name must be 1..64 printable ASCII characters, no spaces"),
                refused::getMessage);
    }

    @Test
    void aPrintableNameOfUpTo64CharactersIsTheCallersName() throws IOException {
        for (String name : List.of("a", "cli:ops", "svc/deployer@node-7", "!~\"\\{}", "x".repeat(64))) {
            Tokens tokens = Tokens.read(tokensFile(name));
            assertEquals(name, tokens.authenticate(TOKEN).orElseThrow().name(), name);
        }
    }

    private Path tokensFile(String name) throws IOException {
        Path file = Files.createTempFile(temp, "tokens-", ".json");
        Files.writeString(file, new ObjectMapper().writeValueAsString(
                List.of(Map.of("name", name, "token", TOKEN, "role", "operator"))));
        return file;
    }
}
