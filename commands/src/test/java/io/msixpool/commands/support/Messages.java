package io.msixpool.commands.support;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

/** What a message for people must not hold. */
public final class Messages {
    private Messages() {
    }

    /** No word of the JSON library: its class and feature names, "Source: REDACTED", its "(code 34)". */
    public static void assertInTheTextsTerms(String message) {
        for (String internal : List.of("`", "Source", "REDACTED", "com.fasterxml", "Feature", "Constraints", "(code ",
                "CTRL-CHAR", "JsonNode", "io.msixpool")) {
            assertFalse(message.contains(internal), () -> "\"" + internal + "\" in: " + message);
        }
    }
}
