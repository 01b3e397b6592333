package io.msixpool.commands.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msixpool.domain.MalformedCommand;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.replay.JsonProblem;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * docs/wire.md's shape check, before any rule: one JSON object, a known {@code type}, exactly the fields
 * of that command's record (required unless optional), each of its JSON kind. The fields and their
 * kinds are read from the command records themselves, so a new field cannot be forgotten here.
 * Patterns and enum names are then checked by the record constructors.
 */
public final class CommandReader {
    /** Fields a command may omit: the retry key, and wrapper-typed fields with a default. */
    private static final Set<String> ALWAYS_OPTIONAL = Set.of("commandId");

    private final ObjectMapper json = Json.mapper();
    private final Map<String, Class<? extends DeviceCommand>> types = new TreeMap<>();

    public CommandReader() {
        for (Class<?> permitted : DeviceCommand.class.getPermittedSubclasses()) {
            types.put(permitted.getSimpleName(), permitted.asSubclass(DeviceCommand.class));
        }
    }

    public DeviceCommand read(String text) throws BadRequest {
        JsonNode node = parse(text);
        Class<? extends DeviceCommand> type = typeOf(node);
        checkFields(node, type);
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // The fields were checked above, so the record's constructor is what refused them; anything
            // else is said without Jackson's words, which name our classes and not the text's problem.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof MalformedCommand malformed) {
                    throw new BadRequest(malformed.getMessage());
                }
            }
            throw new BadRequest("the fields do not make a valid " + type.getSimpleName());
        }
    }

    private JsonNode parse(String text) throws BadRequest {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new BadRequest("a command is one JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest(JsonProblem.of(e));
        }
    }

    private Class<? extends DeviceCommand> typeOf(JsonNode node) throws BadRequest {
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new BadRequest("\"type\" is missing; it names the command, one of " + types.keySet());
        }
        Class<? extends DeviceCommand> found = types.get(type.textValue());
        if (found == null) {
            throw new BadRequest("unknown command type \"" + type.textValue() + "\"; expected one of " + types.keySet());
        }
        return found;
    }

    private void checkFields(JsonNode node, Class<? extends DeviceCommand> type) throws BadRequest {
        Map<String, RecordComponent> components = Arrays.stream(type.getRecordComponents())
                .collect(Collectors.toMap(RecordComponent::getName, c -> c));
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("type") && !components.containsKey(name)) {
                throw new BadRequest("unknown field \"" + name + "\" for " + type.getSimpleName()
                        + "; its fields are " + components.keySet());
            }
        }
        for (RecordComponent component : type.getRecordComponents()) {
            JsonNode value = node.get(component.getName());
            if (value == null) {
                if (!isOptional(component)) {
                    throw new BadRequest(type.getSimpleName() + " needs the field \"" + component.getName() + "\"");
                }
                continue;
            }
            checkKind(component, value);
        }
    }

    private static boolean isOptional(RecordComponent component) {
        return ALWAYS_OPTIONAL.contains(component.getName()) || component.getType() == Boolean.class;
    }

    private static void checkKind(RecordComponent component, JsonNode value) throws BadRequest {
        Class<?> kind = component.getType();
        String name = component.getName();
        if (kind == int.class && !value.isInt()) {
            throw new BadRequest("\"" + name + "\" must be a JSON integer that fits a signed 32-bit int, not " + value);
        }
        if ((kind == boolean.class || kind == Boolean.class) && !value.isBoolean()) {
            throw new BadRequest("\"" + name + "\" must be true or false, not " + value);
        }
        if (kind == String.class && !value.isTextual()) {
            throw new BadRequest("\"" + name + "\" must be a string, not " + value);
        }
        if (kind.isEnum()) {
            Set<String> names = Arrays.stream(kind.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            if (!value.isTextual() || !names.contains(value.textValue())) {
                throw new BadRequest("\"" + name + "\" must be one of " + names + ", not " + value);
            }
        }
    }
}
