package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusFixture.AUDITOR;
import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.OPERATOR_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A running {@link BusServer} keeps to its tokens file (issue 11, item 6): a token added after the
 * start is taken, a revoked one refused, without a restart; a change that makes the file invalid keeps
 * the tokens in force before it, until it is fixed. Real server over loopback, real files.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TokensReloadTest {
    private static final long DEADLINE_SECONDS = 30;

    @Test
    void aTokenAddedWhileServingIsTakenAndARevokedOneRefusedWithoutARestart() {
        try (BusFixture bus = BusFixture.start(TestStores.Kind.EMBEDDED)) {
            String carol = TokensFile.add(bus.tokensFile, "carol", Role.OPERATOR);
            awaitStatus(bus, carol, 200);
            HttpResponse<String> sent = bus.post(carol, BusFixture.provision("bf3-reload", "nvme0", 2, 32));
            assertEquals(200, sent.statusCode(), sent::body);
            List<ObjectNode> events = bus.events();
            assertEquals("carol", events.get(events.size() - 1).path("envelope").path("actor").asText(),
                    "the added token's name is the actor");

            assertTrue(TokensFile.revoke(bus.tokensFile, AUDITOR));
            awaitStatus(bus, AUDITOR_TOKEN, 401);
            assertEquals(200, status(bus, OPERATOR_TOKEN), "the others stay");
            assertEquals(200, status(bus, carol));
        }
    }

    @Test
    void aChangeThatMakesTheFileInvalidKeepsTheTokensInForceUntilItIsFixed() throws IOException {
        try (BusFixture bus = BusFixture.start(TestStores.Kind.EMBEDDED)) {
            String dave = "dave-0123456789abcdef";
            String withDave = "[" + ServeNode.tokenEntry(BusFixture.OPERATOR, OPERATOR_TOKEN, "operator") + ","
                    + ServeNode.tokenEntry("dave", dave, "operator") + "]";
            List<Change> invalid = List.of(
                    new Change("edited in place into bad JSON", "is not JSON",
                            file -> Files.writeString(file, withDave.substring(0, 40))),
                    new Change("a token in the clear", "holds tokens themselves", file -> replace(file, withDave.replace("]",
                            ",{\"name\":\"eve\",\"token\":\"eve-0123456789abcdef\",\"role\":\"operator\"}]"), "rw-------")),
                    new Change("readable by others", "may be read or written by others", file -> replace(file, withDave, "rw-r--r--")),
                    new Change("removed", "no such file", Files::delete));
            for (Change change : invalid) {
                change.apply().accept(bus.tokensFile);
                awaitProblem(bus, change.what(), change.problem());
                assertEquals(200, status(bus, AUDITOR_TOKEN), change.what() + ": the tokens before it stay in force");
                assertEquals(401, status(bus, dave), change.what() + ": nothing of the invalid file is taken");
            }
            replace(bus.tokensFile, withDave, "rw-------");
            awaitStatus(bus, dave, 200);
            assertEquals(401, status(bus, AUDITOR_TOKEN), "the fixed file is what counts");
            assertEquals(200, status(bus, OPERATOR_TOKEN));
            assertTrue(bus.tokens.problem().isEmpty(), bus.tokens.problem()::toString);
        }
    }

    // ---- helpers

    private interface FileChange {
        void accept(Path file) throws IOException;
    }

    private record Change(String what, String problem, FileChange apply) {
    }

    /** Renames a file holding {@code text} with {@code mode} over {@code file}, as an editor or a tool would. */
    private static void replace(Path file, String text, String mode) throws IOException {
        Path next = Files.createTempFile(file.getParent(), "next-", ".json");
        Files.writeString(next, text);
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString(mode));
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int status(BusFixture bus, String token) {
        return bus.get(token, "/v1/events?limit=1").statusCode();
    }

    /** Polls until {@code token} gets {@code expected}, failing after the deadline. */
    private static void awaitStatus(BusFixture bus, String token, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (status(bus, token) != expected) {
            if (System.nanoTime() > deadline) {
                fail("still not " + expected + " after " + DEADLINE_SECONDS + " s");
            }
            pause();
        }
    }

    /** Polls, with the operator's token (which must keep working), until the server has seen the bad change. */
    private static void awaitProblem(BusFixture bus, String what, String problem) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (true) {
            assertEquals(200, status(bus, OPERATOR_TOKEN), what + ": the operator's token stays in force");
            if (bus.tokens.problem().orElse("").contains(problem)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(what + ": the server did not see the change within " + DEADLINE_SECONDS + " s");
            }
            pause();
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
}
