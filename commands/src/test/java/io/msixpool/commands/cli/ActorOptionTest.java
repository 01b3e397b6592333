package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.replay.Envelope;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * An actor is hashed into the chain, so {@code apply --actor} takes only 1..64 printable ASCII
 * characters (a usage error, exit 2, before the store is opened) and the default {@code cli:<user>}
 * replaces anything else by {@code _} (docs/event-log.md, "Actor names").
 */
class ActorOptionTest {
    @TempDir
    Path temp;

    static Stream<String> badActors() {
        return Stream.of("", "two words", "tab\there", "caf\u00e9", "\u6f22\u5b57", "nl\n", "del\u007f",
                "x".repeat(Envelope.ACTOR_MAX_LENGTH + 1));
    }

    @ParameterizedTest
    @MethodSource("badActors")
    void anActorOutsidePrintableAsciiIsAUsageError(String actor) {
        Path store = temp.resolve("store");
        StringWriter err = new StringWriter();
        CommandLine cli = Msix.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("apply", "--store", store.toString(), "--actor", actor);
        assertEquals(2, exit, () -> "exit for --actor <" + actor + ">: " + err);
        assertTrue(err.toString().contains("--actor must be 1..64 printable ASCII characters"), err::toString);
        assertTrue(Files.notExists(store), "the store is not opened on a usage error");
    }

    @Test
    void aPrintableActorOfUpTo64CharactersIsTakenAsIs() {
        for (String actor : new String[] {"a", "cli:ops", "svc/deployer@node-7", "!~\"\\{}", "x".repeat(64)}) {
            CommandLine cli = Msix.commandLine();
            CommandLine.ParseResult parsed = cli.parseArgs("apply", "--store", temp.toString(), "--actor", actor);
            ApplyCommand apply = parsed.subcommand().commandSpec().commandLine().getCommand();
            assertEquals(actor, apply.actor(), "--actor " + actor);
        }
    }

    @Test
    void theDefaultActorReplacesEveryOtherCharacterByAnUnderscore() {
        assertEquals("cli:ops", ApplyCommand.defaultActor("ops"));
        assertEquals("cli:Jos__Doe", ApplyCommand.defaultActor("Jos\u00e9 Doe"));
        assertEquals("cli:_", ApplyCommand.defaultActor("\uD83D\uDE00"), "one character outside the BMP is one _");
        assertEquals("cli:a_b_c", ApplyCommand.defaultActor("a\tb\u007fc"));
        assertEquals(64, ApplyCommand.defaultActor("u".repeat(100)).length());
    }
}
