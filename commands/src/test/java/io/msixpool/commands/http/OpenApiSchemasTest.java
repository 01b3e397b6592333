package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.msixpool.commands.support.RepoFiles;
import io.msixpool.domain.RejectionCode;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.event.DeviceEvent;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schemas of docs/openapi.json agree with docs/wire.md and docs/event-log.md (every example JSON
 * conforms to the schema of its kind, every event of the table has exactly its fields) and with the
 * code (the command and event records, the rules' codes), so neither can drift from the description.
 */
class OpenApiSchemasTest {
    private static final OpenApiCheck CHECK = OpenApiCheck.ofDocs();

    @Test
    void everyExampleOfTheWirePageConformsToTheSchemaOfItsKind() throws IOException {
        String wire = Files.readString(RepoFiles.find("docs/wire.md"));
        List<String> commands = jsonBlock(wire, "## Commands").lines().toList();
        assertFalse(commands.isEmpty());
        commands.forEach(command -> assertConforms("Command", command));
        for (String result : jsonBlock(wire, "## Results").lines().toList()) {
            assertConforms(BusFixture.object(result).path("ok").asBoolean() ? "Accepted" : "Rejected", result);
        }
        assertConforms("PoolView", jsonBlock(wire, "## Pool view"));
        String logLine = jsonBlock(Files.readString(RepoFiles.find("docs/event-log.md")), "## A line");
        assertConforms("LoggedEvent", logLine.replace("\n", ""));
    }

    @Test
    void everyEventOfTheWireTableHasExactlyItsFieldsInTheDescription() throws IOException {
        String wire = Files.readString(RepoFiles.find("docs/wire.md"));
        Map<String, Set<String>> table = new TreeMap<>();
        String events = wire.substring(wire.indexOf("## Events"), wire.indexOf("## Pool view"));
        Matcher row = Pattern.compile("(?m)^\\| ([A-Z]\\w+) \\| ([^|]+) \\|$").matcher(events);
        while (row.find()) {
            Set<String> fields = new TreeSet<>(Set.of("type", "device"));
            for (String field : row.group(2).split(",(?![^(]*\\))")) {
                fields.add(field.trim().split("[ (]")[0]);
            }
            table.put(row.group(1), fields);
        }
        assertEquals(leafNames(DeviceEvent.class), table.keySet(), "docs/wire.md's table lists every event");
        table.forEach((type, fields) -> assertEquals(fields, properties(type), "the fields of " + type));
    }

    @Test
    void theCommandsEventsAndCodesAreTheCodesOwn() {
        for (Class<?> command : DeviceCommand.class.getPermittedSubclasses()) {
            Set<String> fields = Arrays.stream(command.getRecordComponents()).map(c -> c.getName())
                    .collect(Collectors.toCollection(TreeSet::new));
            fields.add("type");
            assertEquals(fields, properties(command.getSimpleName()), "the fields of " + command.getSimpleName());
        }
        assertEquals(leafNames(DeviceCommand.class), refs("Command"), "the commands of the oneOf");
        assertEquals(leafNames(DeviceEvent.class), refs("EventFields"), "the events of the oneOf");
        Set<String> ruleCodes = Arrays.stream(RejectionCode.values()).map(Enum::name).filter(code -> !code.equals("BAD_REQUEST"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(ruleCodes, new TreeSet<>(schema("Rejected").getProperties().get("code").getEnum().stream()
                .map(String::valueOf).toList()), "a 422's codes are the rules' codes");
    }

    private static void assertConforms(String schema, String json) {
        assertEquals(List.of(), CHECK.schemaErrors(schema, json), () -> json + " is a " + schema);
    }

    /** The text of the first ```json block after {@code heading}. */
    private static String jsonBlock(String markdown, String heading) {
        int start = markdown.indexOf("```json\n", markdown.indexOf(heading)) + "```json\n".length();
        return markdown.substring(start, markdown.indexOf("```", start)).strip();
    }

    private static Schema<?> schema(String name) {
        return CHECK.api().getComponents().getSchemas().get(name);
    }

    private static Set<String> properties(String name) {
        return new TreeSet<>(schema(name).getProperties().keySet());
    }

    /** The schema names a oneOf refers to. */
    private static Set<String> refs(String name) {
        return schema(name).getOneOf().stream().map(s -> s.get$ref().substring(s.get$ref().lastIndexOf('/') + 1))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The simple names of the records a sealed interface permits, through sealed interfaces between. */
    private static Set<String> leafNames(Class<?> sealed) {
        Set<String> names = new TreeSet<>();
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.isSealed()) {
                names.addAll(leafNames(permitted));
            } else {
                names.add(permitted.getSimpleName());
            }
        }
        return names;
    }
}
