package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.MsixProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers shared by the command line tests: run {@code msix} as a child process and read its JSON lines. */
final class CliRuns {
    static final ObjectMapper JSON = new ObjectMapper();

    private CliRuns() {
    }

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
        MsixProcess.Result result = MsixProcess.run("", "pool", "--store", store, "--device", device);
        assertEquals(0, result.exitCode(), () -> "pool --device " + device + " failed: " + describe(result));
        List<String> lines = nonBlank(result.lines());
        assertEquals(1, lines.size(), () -> "pool prints one JSON line: " + describe(result));
        return object(lines.get(0));
    }

    /** {@code msix export}, every line parsed. */
    static List<ObjectNode> export(String store) {
        MsixProcess.Result result = MsixProcess.run("", "export", "--store", store);
        assertEquals(0, result.exitCode(), () -> "export failed: " + describe(result));
        List<ObjectNode> events = new ArrayList<>();
        for (String line : result.lines()) {
            assertTrue(!line.isBlank(), "export writes no blank lines");
            events.add(object(line));
        }
        return events;
    }

    /** The event without its envelope: the docs/wire.md event itself. */
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
