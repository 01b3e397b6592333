package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static io.msixpool.commands.cli.CliRuns.errTail;
import static io.msixpool.commands.cli.CliRuns.object;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.TestStores;
import io.msixpool.commands.wire.Json;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.fixtures.Workload;
import io.msixpool.fixtures.WorkloadShape;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The machinery of the crash tests ({@link CrashTest}: a process killed; {@link PowerLossTest}: a power
 * cut below the file system). An {@code apply} fed a seeded workload is ended by a {@link Crash} after a
 * seeded number of result lines were read; the client then reads what is left in the pipe (every complete
 * line is an acknowledgement) and sends a new {@code apply} the unacknowledged tail, same lines, same
 * commandIds. The store must end exactly where an uncrashed run of the same stream ends: the same pools
 * and the same history (events, in order, with the same commandIds), no acknowledged command missing, no
 * command's events twice.
 */
final class CrashRuns {
    static final long SEED = 20_261_122L;
    static final int COMMANDS = 3000;
    static final int FIRST_KILL = 500;
    static final int LAST_KILL = 2500;
    private static final WorkloadShape SHAPE = WorkloadShape.small(3);
    private static final String PREFIX = "dpu";
    private static final List<String> DEVICES = IntStream.range(0, SHAPE.devices())
            .mapToObj(d -> String.format("%s-%04d", PREFIX, d)).toList();
    static final List<String> LINES = generate();
    static final ExecutorService CHILDREN = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "crash-runs");
        thread.setDaemon(true);
        return thread;
    });

    /** The uncrashed run: its result lines, the events before each command, its history and its pools. */
    record Reference(List<ObjectNode> results, int[] eventsBefore, List<ObjectNode> history, Map<String, ObjectNode> pools) {
        int events(int command) {
            return eventsBefore[command + 1] - eventsBefore[command];
        }
    }

    /** How a run ends at its kill point. */
    interface Crash {
        /**
         * Ends the running {@code apply} (and whatever else the crash takes down) and returns the store
         * as the processes after the crash name it.
         */
        String end(Process apply) throws Exception;
    }

    /** The process alone dies: SIGKILL, as the OOM killer or an operator's kill -9 would. */
    static final Crash SIGKILL = apply -> {
        // through the process handle: Process.destroyForcibly would also close our end of the pipe
        assertTrue(apply.toHandle().destroyForcibly(), "SIGKILL sent");
        assertTrue(apply.waitFor(30, TimeUnit.SECONDS), "the killed apply is gone");
        assertEquals(137, apply.exitValue(), "ended by SIGKILL (128 + 9), not by itself");
        return null;
    };

    private CrashRuns() {
    }

    /** A seeded kill point between FIRST_KILL and LAST_KILL result lines. */
    static int killPoint(Random random) {
        return FIRST_KILL + random.nextInt(LAST_KILL - FIRST_KILL + 1);
    }

    private static List<String> generate() {
        Workload workload = new Workload(SEED, SHAPE, PREFIX);
        List<String> lines = new ArrayList<>(COMMANDS);
        Set<String> ids = new HashSet<>();
        try {
            for (int i = 0; i < COMMANDS; i++) {
                DeviceCommand command = workload.next();
                String line = Json.mapper().writeValueAsString(command);
                assertTrue(command.commandId() != null, "every generated command carries a commandId: " + line);
                ids.add(command.commandId());
                lines.add(line);
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(ids.size() < COMMANDS, "the stream holds retries (repeated commandIds)");
        return lines;
    }

    private static final Map<TestStores.Kind, Future<Reference>> REFERENCES = new HashMap<>();

    /** The uncrashed run on a store of that kind, made once for every test of this JVM that needs it. */
    static synchronized Future<Reference> referenceOf(TestStores.Kind kind) {
        return REFERENCES.computeIfAbsent(kind,
                k -> CompletableFuture.supplyAsync(() -> reference(k), CHILDREN));
    }

    private static Reference reference(TestStores.Kind kind) {
        long started = System.nanoTime();
        String store = TestStores.fresh(kind);
        MsixProcess.Result run = MsixProcess.run(String.join("\n", LINES) + "\n", "apply", "--store", store);
        assertEquals(0, run.exitCode(), () -> "the uncrashed apply: " + describe(run));
        assertEquals(COMMANDS, run.lines().size(), () -> "one result per command: " + describe(run));
        List<ObjectNode> results = run.lines().stream().map(CliRuns::object).toList();
        int[] eventsBefore = new int[COMMANDS + 1];
        int duplicates = 0;
        for (int i = 0; i < COMMANDS; i++) {
            JsonNode events = results.get(i).path("events");
            eventsBefore[i + 1] = eventsBefore[i] + (results.get(i).path("ok").asBoolean(false) ? events.size() : 0);
            duplicates += results.get(i).path("duplicate").asBoolean(false) ? 1 : 0;
        }
        assertTrue(duplicates > 0, "the reference run met retries");
        String applied = seconds(started);
        List<ObjectNode> log = CliRuns.export(store);
        assertWellFormed(kind + ", uncrashed", log);
        List<ObjectNode> history = history(log);
        Map<String, ObjectNode> pools = poolsOf(store);
        List<JsonNode> reported = new ArrayList<>();
        results.forEach(result -> result.path("events").forEach(reported::add));
        assertEquals(reported, history.stream().map(entry -> entry.get("event")).toList(),
                "the reference log holds the events apply reported, in order");
        System.out.println("crash runs: " + kind + ", uncrashed: " + COMMANDS + " commands, " + history.size()
                + " events, " + duplicates + " duplicates; apply " + applied + " s, with export and pools " + seconds(started) + " s");
        return new Reference(results, eventsBefore, history, pools);
    }

    /**
     * Runs the stream on {@code store}, ends it with {@code crash} once {@code killAfter} results were
     * read, resends the unacknowledged tail, and checks the store against the uncrashed run.
     */
    static void crashAndResend(String run, String store, Crash ending, Future<Reference> futureReference,
                               int killAfter)
            throws Exception {
        long started = System.nanoTime();

        // 1. apply the whole stream, and SIGKILL it once killAfter result lines have been read
        Path err = Files.createTempFile("msix-crash-err", ".txt");
        Process apply = MsixProcess.builder("apply", "--store", store).redirectError(err.toFile()).start();
        Thread writer = new Thread(() -> feed(apply, LINES), "crash-test-writer");
        writer.setDaemon(true);
        writer.start();
        List<String> acknowledged = new ArrayList<>(killAfter);
        int drained;
        int partial;
        try (ResultLines out = new ResultLines(apply)) {
            while (acknowledged.size() < killAfter) {
                String line = out.next();
                if (line == null) {
                    fail(run + ": apply stopped after " + acknowledged.size() + " results, exit "
                            + apply.waitFor() + ": " + errTail(Files.readString(err)));
                }
                acknowledged.add(line);
            }
            String after = ending.end(apply);
            store = after == null ? store : after;
            // what apply wrote before it died is still in the pipe: every complete line is an acknowledgement,
            // a line cut short by the kill is not
            for (String line = out.next(); line != null; line = out.next()) {
                acknowledged.add(line);
            }
            drained = acknowledged.size() - killAfter;
            partial = out.partial();
        } finally {
            apply.destroyForcibly();
        }
        writer.join(TimeUnit.SECONDS.toMillis(30));
        int k = acknowledged.size();
        String killed = run + ": " + k + " acknowledged (" + drained + " of them read after the kill; a cut line of "
                + partial + " characters dropped)";

        Reference reference = futureReference.get(3, TimeUnit.MINUTES);
        for (int i = 0; i < k; i++) {
            assertEquals(reference.results().get(i), object(acknowledged.get(i)),
                    run + ": before the crash, result " + i + " as in the uncrashed run");
        }

        // 2. what survived the kill: every acknowledged command, then whole commands only, a prefix of the reference
        List<ObjectNode> afterCrash = history(CliRuns.export(store));
        int acknowledgedEvents = reference.eventsBefore()[k];
        assertTrue(afterCrash.size() >= acknowledgedEvents, run + ": the store holds " + afterCrash.size()
                + " events, the acknowledged commands recorded " + acknowledgedEvents);
        assertTrue(afterCrash.size() <= reference.history().size(), run + ": more events than the whole stream records");
        assertEquals(reference.history().subList(0, afterCrash.size()), afterCrash,
                run + ": the store after the crash holds the start of the uncrashed history");
        int firstCommitted = -1;
        int lastCommitted = -1;
        for (int j = k; j <= COMMANDS; j++) {
            if (reference.eventsBefore()[j] == afterCrash.size()) {
                firstCommitted = firstCommitted < 0 ? j : firstCommitted;
                lastCommitted = j;
            }
        }
        assertTrue(firstCommitted >= 0, run + ": the store ends inside a command's events ("
                + afterCrash.size() + " events): a command was committed in part");
        // commands k..firstCommitted-1 were decided and committed but not acknowledged; those among them that
        // recorded nothing (rejections) are not remembered (docs/rules.md, Retries) and will be decided afresh on resend
        List<Integer> decidedAfresh = new ArrayList<>();
        for (int j = k; j < firstCommitted; j++) {
            if (reference.events(j) == 0 && !reference.results().get(j).path("duplicate").asBoolean(false)) {
                decidedAfresh.add(j);
            }
        }
        String crash = killed + " (committed but unacknowledged: " + (firstCommitted - k) + " to " + (lastCommitted - k)
                + " commands; of those, " + decidedAfresh.size() + " recorded nothing yet were followed by committed"
                + " commands, so their resend is decided afresh on a later state: "
                + decidedAfresh.stream().limit(12).map(j -> j + " " + outcome(reference.results().get(j)))
                        .collect(Collectors.joining(", ", "[", decidedAfresh.size() > 12 ? ", ...]" : "]")) + ")";
        System.out.println(crash + ", killed at " + seconds(started) + " s");

        // 3. the client resends the unacknowledged tail, same lines, same commandIds
        MsixProcess.Result resent = MsixProcess.run(String.join("\n", LINES.subList(k, COMMANDS)) + "\n",
                "apply", "--store", store);
        assertEquals(0, resent.exitCode(), () -> crash + ": the resending apply: " + describe(resent));
        assertEquals(COMMANDS - k, resent.lines().size(), () -> crash + ": one result per resent line");
        String firstDifference = "none";
        for (int j = k; j < COMMANDS; j++) {
            ObjectNode result = object(resent.lines().get(j - k));
            if (j < firstCommitted && reference.events(j) > 0) {
                assertTrue(result.path("ok").asBoolean(false) && result.path("duplicate").asBoolean(false)
                                && result.path("events").isArray() && result.path("events").isEmpty(),
                        crash + ": command " + j + " was committed before the kill, its resend is a duplicate: " + result);
            } else if (firstDifference.equals("none") && !result.equals(reference.results().get(j))) {
                firstDifference = "command " + j + " " + LINES.get(j) + " -> " + result + ", uncrashed: "
                        + reference.results().get(j);
            }
        }
        String story = crash + "; first resent result unlike the uncrashed run: " + firstDifference;

        // 4. the log: well formed, nothing acknowledged missing, no command's events twice
        List<ObjectNode> log = CliRuns.export(store);
        assertWellFormed(story, log);
        List<ObjectNode> history = history(log);
        assertTrue(history.size() >= acknowledgedEvents, story + ": acknowledged events missing");
        assertEquals(reference.history().subList(0, acknowledgedEvents), history.subList(0, acknowledgedEvents),
                story + ": the acknowledged commands' events are the uncrashed run's");

        // 5. the same pools as the uncrashed run, 6. and the same history
        Map<String, ObjectNode> pools = poolsOf(store);
        for (String device : DEVICES) {
            assertEquals(reference.pools().get(device), pools.get(device), story + ": pool of " + device);
        }
        assertEquals(reference.history().size(), history.size(), story + ": as many events as the uncrashed run");
        assertEquals(reference.history(), history, story + ": the same history as the uncrashed run");
        System.out.println(run + ": converged in " + seconds(started) + " s");
    }

    /** Positions strictly increasing, device sequences 0, 1, 2, ..., each command's events in one place. */
    private static void assertWellFormed(String story, List<ObjectNode> log) {
        long lastPosition = Long.MIN_VALUE;
        Map<String, Long> nextSequence = new HashMap<>();
        Set<String> finishedGroups = new HashSet<>();
        String currentGroup = null;
        for (ObjectNode line : log) {
            JsonNode envelope = line.path("envelope");
            long position = envelope.path("position").asLong();
            assertTrue(position > lastPosition, story + ": position strictly increasing at " + line);
            lastPosition = position;
            String device = line.path("device").asText();
            long sequence = nextSequence.getOrDefault(device, 0L);
            assertEquals(sequence, envelope.path("sequence").asLong(-1), story + ": device sequence without gaps at " + line);
            nextSequence.put(device, sequence + 1);
            String commandId = envelope.path("commandId").asText(null);
            assertTrue(commandId != null, story + ": every command had an id: " + line);
            // retry memory is per device (docs/rules.md), so the workload may reuse an id on another device
            String command = device + " " + commandId;
            if (!command.equals(currentGroup)) {
                assertTrue(finishedGroups.add(command),
                        story + ": the events of " + command + " appear in two places, the second at " + line);
                currentGroup = command;
            }
        }
    }

    private static String seconds(long startedNanos) {
        return String.format("%.1f", (System.nanoTime() - startedNanos) / 1e9);
    }

    /** apply's standard output as complete lines: a line counts once its newline arrived. */
    private static final class ResultLines implements AutoCloseable {
        private final BufferedReader out;
        private final StringBuilder line = new StringBuilder();

        ResultLines(Process apply) {
            this.out = new BufferedReader(new InputStreamReader(apply.getInputStream(), UTF_8));
        }

        /** The next complete line, or null at the end of the stream. */
        String next() throws IOException {
            for (int c = out.read(); c != -1; c = out.read()) {
                if (c == '\n') {
                    String complete = line.toString();
                    line.setLength(0);
                    return complete;
                }
                line.append((char) c);
            }
            return null;
        }

        /** How many characters of an unfinished line the stream ended with. */
        int partial() {
            return line.length();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Writes every line to apply's standard input, as a client would; a killed apply ends the writing. */
    private static void feed(Process apply, List<String> lines) {
        try (Writer in = new BufferedWriter(new OutputStreamWriter(apply.getOutputStream(), UTF_8))) {
            for (String line : lines) {
                in.write(line);
                in.write('\n');
            }
        } catch (IOException killed) {
            // the pipe broke: apply was killed while we were still writing
        }
    }

    /** The pool view of every device, the calls run side by side. */
    private static Map<String, ObjectNode> poolsOf(String store) {
        Map<String, Future<ObjectNode>> running = new LinkedHashMap<>();
        DEVICES.forEach(device -> running.put(device, CHILDREN.submit(() -> CliRuns.pool(store, device))));
        Map<String, ObjectNode> pools = new LinkedHashMap<>();
        running.forEach((device, view) -> {
            try {
                pools.put(device, view.get(2, TimeUnit.MINUTES));
            } catch (Exception e) {
                throw new AssertionError("pool --device " + device, e);
            }
        });
        return pools;
    }

    /** The history as comparable across runs: each event with the commandId and actor that caused it. */
    private static List<ObjectNode> history(List<ObjectNode> log) {
        return log.stream().map(line -> {
            ObjectNode entry = CliRuns.JSON.createObjectNode();
            entry.set("event", CliRuns.withoutEnvelope(line));
            entry.set("commandId", line.path("envelope").path("commandId"));
            entry.set("actor", line.path("envelope").path("actor"));
            return entry;
        }).toList();
    }

    private static String outcome(ObjectNode result) {
        if (result.path("ok").asBoolean(false)) {
            return result.path("duplicate").asBoolean(false) ? "duplicate" : "ok, no events";
        }
        return result.path("code").asText();
    }
}
