package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import io.msixpool.domain.Decision;
import io.msixpool.domain.DeviceRules;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import io.msixpool.replay.Chain;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.LoggedEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import killed with SIGKILL while it writes leaves the store empty, not holding the first part of
 * the log (which the engine would take for the whole history): the import is one transaction. The
 * same import run again then takes the store and writes every event.
 *
 * <p>The log is made here, in memory, as the engine would have recorded a generated workload (the
 * rules decide, the chain links each event), so that it is long enough to be caught mid-import
 * without running the engine for minutes first. The embedded store only: a PostgreSQL transaction
 * whose client dies is rolled back by the server.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Tag("campaign")
class ImportCrashTest {
    private static final int COMMANDS = 60_000;

    @TempDir
    static Path dir;

    @Test
    void anImportKilledWhileWritingLeavesAnEmptyStoreThatANewImportTakes() throws Exception {
        Path log = dir.resolve("long.jsonl");
        long events = writeLog(log);  // positions 1..events
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);

        Process process = MsixProcess.builder("import", log.toString(), "--store", store)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean caughtWriting = false;
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                if (line.startsWith("import ")) {  // the second pass's progress: rows are being written
                    process.destroyForcibly();
                    caughtWriting = true;
                    break;
                }
            }
        } finally {
            process.destroyForcibly();
        }
        process.waitFor(1, TimeUnit.MINUTES);
        if (!caughtWriting) {
            fail("the import ended (exit " + process.exitValue() + ") before it could be killed while writing");
        }
        assertEquals(0, storedEvents(store)[0], "a killed import leaves no event");

        MsixProcess.Result again = MsixProcess.run("", "import", log.toString(), "--store", store);
        assertEquals(0, again.exitCode(), () -> describe(again));
        assertTrue(again.out().startsWith(String.format("imported %,d events", events)), again.out());
        long[] stored = storedEvents(store);
        assertEquals(events, stored[0]);
        assertEquals(events, stored[1], "the last position");
    }

    /** The events and the last position an embedded store holds. */
    private static long[] storedEvents(String store) throws SQLException {
        try (HikariDataSource data = StoreLocation.parse(store).open(StoreLocation.Access.READ); Connection sql = data.getConnection();
             Statement select = sql.createStatement();
             ResultSet row = select.executeQuery("SELECT COUNT(*), COALESCE(MAX(globalIndex), 0) FROM domainevententry")) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2)};
        }
    }

    /**
     * Writes the log the engine would export after deciding a generated workload: the rules decide
     * each command, a commandId a device already recorded records nothing again, and every event is
     * chained to its device's previous one.
     *
     * @return the events written, at positions 1, 2, ...
     */
    private static long writeLog(Path log) throws IOException {
        Workload workload = new Workload(7, WorkloadShape.small(20), "dpu");
        Map<String, DeviceState> states = new HashMap<>();
        Map<String, String> heads = new HashMap<>();
        Map<String, Long> sequences = new HashMap<>();
        Set<String> recorded = new HashSet<>();
        Instant at = Instant.parse("2026-11-22T03:00:00Z");
        long position = 0;
        try (BufferedWriter out = Files.newBufferedWriter(log)) {
            for (int i = 0; i < COMMANDS; i++) {
                DeviceCommand command = workload.next();
                String device = command.device();
                if (command.commandId() != null && recorded.contains(device + " " + command.commandId())) {
                    continue;  // a duplicate
                }
                DeviceState state = states.getOrDefault(device, DeviceState.EMPTY);
                if (!(DeviceRules.decide(state, command) instanceof Decision.Accepted accepted)) {
                    continue;
                }
                List<DeviceEvent> events = accepted.events();
                if (events.isEmpty()) {
                    continue;
                }
                if (command.commandId() != null) {
                    recorded.add(device + " " + command.commandId());
                }
                at = at.plusMillis(7);
                for (DeviceEvent event : events) {
                    String prev = heads.getOrDefault(device, Chain.GENESIS);
                    long sequence = sequences.merge(device, 1L, Long::sum) - 1;
                    Envelope envelope = new Envelope(++position, sequence, at, command.commandId(), "cli:test", "1",
                            prev, null);
                    String hash = Chain.hashOf(new LoggedEvent(event, envelope));
                    heads.put(device, hash);
                    out.write(EventLogFormat.write(new LoggedEvent(event, envelope.chained(prev, hash))));
                    out.write('\n');
                    state = state.evolve(event);
                }
                states.put(device, state);
            }
        }
        return position;
    }
}
