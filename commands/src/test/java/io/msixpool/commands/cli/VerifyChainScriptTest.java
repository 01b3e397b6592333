package io.msixpool.commands.cli;

import static io.msixpool.commands.support.ChainChecks.assertChainHolds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.EventLog;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.RepoFiles;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import io.msixpool.replay.EventLogFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain of docs/event-log.md, checked from outside: a log the engine really wrote (singles and
 * group commits, across snapshots) passes {@code docs/verify-chain.py}, a stdlib-only Python
 * verifier run as a real process, and every kind of tampering the chain claims to catch makes it
 * exit 1 naming the first broken line. The same links are checked in Java, independent of Python,
 * on the embedded store and on PostgreSQL.
 */
class VerifyChainScriptTest {
    /** Engine.SNAPSHOT_EVERY (package-private there): one device's stream must cross a snapshot. */
    private static final int SNAPSHOT_EVERY = 250;
    private static final int COMMANDS = 1200;

    @TempDir
    Path temp;

    @Test
    void pythonAcceptsTheEnginesLogAndNamesTheFirstBrokenLineOfATamperedOne() throws Exception {
        String python = python3();
        List<String> log = engineLog(temp.resolve("store").toString());
        assertChainHolds(log);

        Result clean = verify(python, log);
        assertEquals(0, clean.exit, clean::toString);
        assertEquals("ok " + log.size() + " events", clean.out.strip(), clean::toString);

        // An edited msix number (the chain covers every event field).
        int edited = firstIndex(log, "VectorsAssigned", 100);
        List<String> tampered = new ArrayList<>(log);
        ObjectNode line = EventLogFormat.parse(log.get(edited));
        line.put("msix", line.get("msix").asInt() + 1);
        tampered.set(edited, line.toString());
        assertBrokenAt(python, tampered, edited, "an edited msix");

        // An edited actor and an added field, both inside the hash.
        tampered = new ArrayList<>(log);
        line = EventLogFormat.parse(log.get(edited));
        ((ObjectNode) line.get("envelope")).put("actor", "someone-else");
        tampered.set(edited, line.toString());
        assertBrokenAt(python, tampered, edited, "an edited actor");
        tampered = new ArrayList<>(log);
        line = EventLogFormat.parse(log.get(edited));
        line.put("note", "added");
        tampered.set(edited, line.toString());
        assertBrokenAt(python, tampered, edited, "an added field");

        // A repeated key: the hash covers the parsed value (the last), a reader may take the first.
        tampered = new ArrayList<>(log);
        tampered.set(edited, log.get(edited).replaceFirst("\\{\"type\":", "{\"msix\":999,\"type\":"));
        assertBrokenAt(python, tampered, edited, "a repeated key", "line " + (edited + 1) + " (position None,");

        // A deleted line: the device's next event is the first broken line (one line earlier now).
        int deleted = edited;
        tampered = new ArrayList<>(log);
        tampered.remove(deleted);
        assertBrokenAt(python, tampered, nextOfSameDevice(log, deleted) - 1, "a deleted line");

        // A duplicated line: the copy is the first broken line.
        int duplicated = firstIndex(log, "VfOpened", 200);
        tampered = new ArrayList<>(log);
        tampered.add(duplicated + 1, log.get(duplicated));
        assertBrokenAt(python, tampered, duplicated + 1, "a duplicated line");

        // Two events of one device swapped: the earlier place is the first broken line.
        int first = firstIndex(log, "VfClosed", 300);
        int second = nextOfSameDevice(log, first);
        tampered = new ArrayList<>(log);
        tampered.set(first, log.get(second));
        tampered.set(second, log.get(first));
        assertBrokenAt(python, tampered, first, "two swapped lines of one device");
    }

    @Test
    void everyEventOnPostgresCarriesItsHashAndLinksToItsPredecessor() throws Exception {
        assertChainHolds(engineLog(TestStores.fresh(TestStores.Kind.POSTGRES)));
    }

    /**
     * A real log: the workload's commands decided alternately one by one and, per device, as group
     * commits of several commands; asserts that groups of several event-recording commands of one
     * device happened and that some device's stream passed a snapshot.
     */
    private static List<String> engineLog(String store) {
        List<DeviceCommand> commands = Workload.generate(11, WorkloadShape.small(3), COMMANDS);
        int multiCommandGroups = 0;
        try (Engine engine = Engine.open(StoreLocation.parse(store))) {
            for (int from = 0, chunk = 0; from < commands.size(); from += 40, chunk++) {
                List<DeviceCommand> slice = commands.subList(from, Math.min(from + 40, commands.size()));
                if (chunk % 2 == 0) {
                    slice.forEach(command -> engine.send(command, "test:single"));
                    continue;
                }
                Map<String, List<DeviceCommand>> byDevice = new LinkedHashMap<>();
                slice.forEach(c -> byDevice.computeIfAbsent(c.device(), d -> new ArrayList<>()).add(c));
                for (List<DeviceCommand> group : byDevice.values()) {
                    for (int done = 0; done < group.size(); ) {
                        List<Outcome> outcomes = engine.sendGroup(group.subList(done, group.size()), "test:group");
                        long recording = outcomes.stream()
                                .filter(o -> o instanceof Outcome.Accepted a && !a.events().isEmpty()).count();
                        multiCommandGroups += recording >= 2 ? 1 : 0;
                        done += outcomes.size();
                    }
                }
            }
            assertTrue(multiCommandGroups > 0, "some group commit recorded events of several commands of one device");
            List<String> log = EventLog.lines(engine).map(ObjectNode::toString).toList();
            long longest = log.stream().mapToLong(l -> sequence(l)).max().orElse(-1);
            assertTrue(longest > SNAPSHOT_EVERY, "one device's stream crosses a snapshot; longest reaches " + longest);
            return log;
        }
    }

    private void assertBrokenAt(String python, List<String> log, int index, String what) throws Exception {
        String position = EventLogFormat.parse(log.get(index)).get("envelope").get("position").asText();
        assertBrokenAt(python, log, index, what, "line " + (index + 1) + " (position " + position + ",");
    }

    private void assertBrokenAt(String python, List<String> log, int index, String what, String start) throws Exception {
        Result result = verify(python, log);
        assertEquals(1, result.exit, () -> what + ": " + result);
        assertTrue(result.out.startsWith(start), () -> what + " should print <" + start + "...>: " + result);
    }

    /** The first line of that event type at or after {@code from} whose device has a later event. */
    private static int firstIndex(List<String> log, String type, int from) {
        for (int i = from; i < log.size(); i++) {
            if (EventLogFormat.parse(log.get(i)).get("type").asText().equals(type) && nextOfSameDevice(log, i) > 0) {
                return i;
            }
        }
        return fail("no " + type + " with a later event of its device after line " + from);
    }

    private static int nextOfSameDevice(List<String> log, int index) {
        String device = EventLogFormat.parse(log.get(index)).get("device").asText();
        for (int i = index + 1; i < log.size(); i++) {
            if (EventLogFormat.parse(log.get(i)).get("device").asText().equals(device)) {
                return i;
            }
        }
        return -1;
    }

    private static long sequence(String line) {
        return EventLogFormat.parse(line).get("envelope").get("sequence").asLong();
    }

    private record Result(int exit, String out, String err) {
    }

    private Result verify(String python, List<String> log) throws Exception {
        Path file = Files.createTempFile(temp, "log-", ".jsonl");
        Files.write(file, log, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(python, script().toString(), file.toString())
                .redirectError(temp.resolve("verify.err").toFile()).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("verify-chain.py did not finish in a minute");
        }
        return new Result(process.exitValue(), out, Files.readString(temp.resolve("verify.err")));
    }

    /** docs/verify-chain.py, found from the module directory surefire runs in. */
    private static Path script() {
        return RepoFiles.find("docs/verify-chain.py");
    }

    /**
     * python3, or the test is skipped with the reason: an assumption, since the script is not part of
     * the build; where CI is set its absence is a failure, so CI never passes without running it.
     */
    private static String python3() {
        String reason;
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            String version = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0 && version.startsWith("Python 3")) {
                return "python3";
            }
            reason = "python3 --version printed <" + version + ">";
        } catch (IOException | InterruptedException e) {
            reason = "python3 cannot be run: " + e.getMessage();
        }
        if (System.getenv("CI") != null) {
            return fail(reason + "; CI is set, so docs/verify-chain.py must be tested here");
        }
        Assumptions.abort(reason + "; docs/verify-chain.py is not tested");
        return null;
    }
}
