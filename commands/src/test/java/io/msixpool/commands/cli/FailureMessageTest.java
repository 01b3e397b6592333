package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msixpool.commands.support.Messages;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What `msix` prints when a command fails: every cause, a file error says what is wrong with the file, and
 * JSON that cannot be read is said in the text's terms, not the JSON library's.
 */
class FailureMessageTest {

    @Test
    void aMissingFileIsNamedWithWhatIsWrong() {
        assertEquals("target/x.json: no such file or directory",
                Msix.describe(new NoSuchFileException("target/x.json")));
    }

    @Test
    void causesAreJoinedOutermostFirst() {
        var failure = new IllegalStateException("cannot export",
                new UncheckedIOException("write failed", new AccessDeniedException("/out.jsonl")));
        assertEquals("cannot export: write failed: /out.jsonl: permission denied", Msix.describe(failure));
    }

    @Test
    void aFileErrorWithItsOwnReasonKeepsIt() {
        assertEquals("/a -> /b: busy", Msix.describe(new NoSuchFileException("/a", "/b", "busy")));
    }

    @Test
    void aJsonErrorIsSaidInTheTextsTermsNotTheLibrarys() {
        JsonProcessingException jackson = assertThrows(JsonProcessingException.class,
                () -> new ObjectMapper().readTree("[".repeat(1001)));
        assertTrue(jackson.getMessage().contains("StreamReadConstraints"), "Jackson's own words: " + jackson.getMessage());
        assertEquals("cannot read x.json: nested deeper than 1000 levels of objects and arrays",
                Msix.describe(new IllegalArgumentException("cannot read x.json", jackson)));
    }

    @Test
    void applyAnswersMalformedJsonInTheLinesTerms() throws Exception {
        String deep = "{\"type\":\"OpenPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"x\":" + "[".repeat(1001)
                + "]".repeat(1001) + "}";
        MsixProcess.Result run = MsixProcess.run(deep + "\n{\"type\":\"OpenPf\",\"device\":\"bf3-a\" \"pf\":\"nvme0\"}\n",
                "apply", "--store", TestStores.fresh(TestStores.Kind.EMBEDDED));
        assertEquals(0, run.exitCode(), () -> CliRuns.describe(run));
        assertEquals(List.of(
                        "{\"ok\":false,\"code\":\"BAD_REQUEST\",\"message\":\"nested deeper than 1000 levels of objects and arrays\"}",
                        "{\"ok\":false,\"code\":\"BAD_REQUEST\",\"message\":\"malformed JSON at column 35: unexpected '\\\"':"
                                + " expected a comma between object entries\"}"),
                run.lines(), () -> CliRuns.describe(run));
        run.lines().forEach(Messages::assertInTheTextsTerms);
    }
}
