package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Helpers shared by the command line tests: run {@code msix} as a child process and read its JSON lines. */
final class CliRuns {
    static final ObjectMapper JSON = new ObjectMapper();

    private CliRuns() {
    }

    /**
     * {@link MsixProcess#builder} with the quick JIT alone, as the launcher runs short calls: test runs are
     * short, and on a small machine the optimising compiler's threads cost more than they win back.
     */
    static ProcessBuilder builder(String... args) {
        ProcessBuilder builder = MsixProcess.builder(args);
        builder.command().add(1, "-XX:TieredStopAtLevel=1");
        return builder;
    }

    /** Runs {@code msix args} to completion with {@code stdin} as input (killed after 3 minutes). */
    static MsixProcess.Result run(String stdin, String... args) {
        try {
            Path out = Files.createTempFile("msix-out", ".txt");
            Path err = Files.createTempFile("msix-err", ".txt");
            Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ended) {
                    // the process ended without reading all its input; its exit code tells
                }
                if (!process.waitFor(3, TimeUnit.MINUTES)) {
                    fail("msix " + String.join(" ", args) + " did not end within 3 minutes");
                }
            } finally {
                process.destroyForcibly();
            }
            MsixProcess.Result result = new MsixProcess.Result(process.exitValue(), Files.readString(out),
                    Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One JSON object, or a test failure naming the line. */
    static ObjectNode object(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node instanceof ObjectNode object) {
                return object;
            }
            return fail("not one JSON object: <" + line + ">");
        } catch (JsonProcessingException e) {
            return fail("not valid JSON: <" + line + ">: " + e.getOriginalMessage());
        }
    }

    /** {@code msix pool} of a known device, as JSON; fails unless it exits 0 with one JSON line. */
    static ObjectNode pool(String store, String device) {
        MsixProcess.Result result = run("", "pool", "--store", store, "--device", device);
        assertEquals(0, result.exitCode(), () -> "pool --device " + device + " failed: " + describe(result));
        List<String> lines = nonBlank(result.lines());
        assertEquals(1, lines.size(), () -> "pool prints one JSON line: " + describe(result));
        return object(lines.get(0));
    }

    /** {@code msix export}, every line parsed. */
    static List<ObjectNode> export(String store) {
        MsixProcess.Result result = run("", "export", "--store", store);
        assertEquals(0, result.exitCode(), () -> "export failed: " + describe(result));
        List<ObjectNode> events = new ArrayList<>();
        for (String line : result.lines()) {
            assertTrue(!line.isBlank(), "export writes no blank lines");
            events.add(object(line));
        }
        return events;
    }

    /** The event without its envelope: the wire.md event itself. */
    static ObjectNode withoutEnvelope(ObjectNode logged) {
        ObjectNode event = logged.deepCopy();
        event.remove("envelope");
        return event;
    }

    static List<String> nonBlank(List<String> lines) {
        return lines.stream().filter(line -> !line.isBlank()).toList();
    }

    /** Exit code, the head of stdout and the tail of stderr (without the JDK's Unsafe warnings), for messages. */
    static String describe(MsixProcess.Result result) {
        String out = result.out().length() > 2000 ? result.out().substring(0, 2000) + "..." : result.out();
        return "exit " + result.exitCode() + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + errTail(result.err());
    }

    static String errTail(String err) {
        List<String> lines = err.lines().filter(line -> !line.startsWith("WARNING: ")).toList();
        return lines.subList(Math.max(0, lines.size() - 30), lines.size()).stream()
                .collect(Collectors.joining("\n"));
    }
}
