package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** What `msix` prints when a command fails: every cause, and a file error says what is wrong with the file. */
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
}
