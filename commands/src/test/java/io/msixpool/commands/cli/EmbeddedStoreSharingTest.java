package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.support.MsixProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store is shared as a system of record must be: readers in other processes see what is
 * committed while one process writes; a second writer is told at once who writes and where to send
 * its commands; and a command that only reads never creates a store where a path was mistyped.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedStoreSharingTest {
    private static final String PROVISION = "{\"type\":\"ProvisionPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\","
            + "\"emulation\":\"NVME\",\"vfCount\":4,\"msixTotal\":64,\"vfMinMsix\":2,\"vfMaxMsix\":32,\"commandId\":\"p1\"}";
    private static final String OPEN = "{\"type\":\"OpenPf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"commandId\":\"o1\"}";

    @TempDir
    Path dir;

    @Test
    void readersSeeWhatIsCommittedWhileAWriterRunsAndASecondWriterIsToldWhoWrites() throws Exception {
        String store = dir.resolve("store").toString();
        Process writer = MsixProcess.builder("apply", "--store", store).start();
        try (Writer in = new OutputStreamWriter(writer.getOutputStream(), UTF_8);
             BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), UTF_8))) {
            in.write(PROVISION + "\n" + OPEN + "\n");
            in.flush();
            assertTrue(out.readLine().contains("\"ok\":true"), "provisioned");
            assertTrue(out.readLine().contains("\"ok\":true"), "opened");
            // the writer still runs (its standard input is open) and holds the store

            MsixProcess.Result pool = MsixProcess.run("", "pool", "--store", store, "--device", "bf3-a");
            assertEquals(0, pool.exitCode(), () -> describe(pool));
            assertTrue(pool.out().contains("\"open\":true"), "the pool as committed, PF open: " + pool.out());
            MsixProcess.Result export = MsixProcess.run("", "export", "--store", store);
            assertEquals(0, export.exitCode(), () -> describe(export));
            assertEquals(3, export.lines().size(), "the committed events (ProvisionPf records two): " + export.out());
            MsixProcess.Result history = MsixProcess.run("", "history", "--store", store, "--device", "bf3-a");
            assertEquals(0, history.exitCode(), () -> describe(history));
            assertTrue(history.out().contains("PfOpened"), history.out());
            MsixProcess.Result audit = MsixProcess.run("", "audit", "--store", store);
            assertEquals(0, audit.exitCode(), () -> describe(audit));
            MsixProcess.Result replay = MsixProcess.run("", "replay", "--store", store, "--device", "bf3-a");
            assertEquals(0, replay.exitCode(), () -> describe(replay));

            long started = System.nanoTime();
            MsixProcess.Result second = MsixProcess.run(OPEN + "\n", "apply", "--store", store);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(1, second.exitCode(), () -> describe(second));
            assertTrue(second.err().contains("pid " + writer.pid() + " (msix apply --store " + store + ")"),
                    "names the writing process: " + second.err());
            assertTrue(second.err().contains("POST /v1/commands"), "points to the HTTP API: " + second.err());
            assertTrue(second.err().lines().filter(line -> !line.startsWith("WARNING")).count() <= 2,
                    "a short error, no stack trace: " + second.err());
            assertTrue(second.out().isEmpty(), "decided nothing: " + second.out());
            System.out.printf("EmbeddedStoreSharingTest: a second writer refused after %d ms (process start included)%n",
                    millis);
            assertTrue(millis < 10_000, "refused at once, not after a lock timeout: " + millis + " ms");
        }
        assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "the writer ends when its input does");
        assertEquals(0, writer.exitValue());

        MsixProcess.Result after = MsixProcess.run(OPEN + "\n", "apply", "--store", store);
        assertEquals(0, after.exitCode(), () -> "once the first writer ended, the store takes another: " + describe(after));
        assertTrue(after.out().contains("\"duplicate\":true"), after.out());
    }

    @Test
    void aCommandThatOnlyReadsCreatesNoStore() {
        Path missing = dir.resolve("mistyped");
        for (List<String> command : List.of(
                List.of("pool", "--device", "bf3-a"), List.of("history", "--device", "bf3-a"), List.of("export"),
                List.of("audit"), List.of("replay"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of(
                    "--store", missing.toString())).toArray(String[]::new);
            MsixProcess.Result result = MsixProcess.run("", args);
            assertEquals(2, result.exitCode(), () -> command + ": " + describe(result));
            assertTrue(result.err().startsWith("no store at " + missing), command + ": " + result.err());
            assertFalse(Files.exists(missing), command + " created " + missing);
        }
    }

    @Test
    void aStoreOfAnEarlierVersionIsNeitherReadNorWrittenOverButExplained() throws Exception {
        Path earlier = Files.createDirectories(dir.resolve("h2-store"));
        Files.write(earlier.resolve("events.mv.db"), new byte[] {1, 2, 3});
        for (String[] args : List.of(new String[] {"export", "--store", earlier.toString()},
                new String[] {"apply", "--store", earlier.toString()})) {
            MsixProcess.Result result = MsixProcess.run(OPEN + "\n", args);
            assertTrue(result.exitCode() != 0, () -> describe(result));
            assertTrue(result.err().contains("earlier msix (H2"), result.err());
            assertTrue(result.err().contains("moving a store"), "says how to bring it over: " + result.err());
            assertFalse(Files.exists(earlier.resolve("events.db")), "no second store beside it");
        }
    }
}
