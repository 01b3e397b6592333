package io.msixpool.commands.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.http.TokensFile.Entry;
import io.msixpool.commands.wire.Json;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.JsonProblem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON of a tokens file, both ways: {@code [{"name","sha256","role","created"}]}, and the old form
 * {@code [{"name","token","role"}]}, which is refused with the way to migrate, or migrated.
 */
final class TokensFileFormat {
    /** The tokens of the form before hashes (issue 11): migrated, never taken shorter than this. */
    private static final int MIN_CLEAR_TOKEN_LENGTH = 16;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> FIELDS = Set.of("name", "sha256", "role", "created");

    private TokensFileFormat() {
    }

    /** The entries, and how many of them were tokens in the clear (hashed here). */
    record Parsed(List<Entry> entries, int converted) {
    }

    /** The entries of {@code text}, read from {@code file}; with {@code clearAllowed}, tokens in the clear are hashed. */
    static Parsed parse(Path file, String text, boolean clearAllowed) {
        JsonNode list;
        try {
            list = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tokens file " + file + " is not JSON: " + JsonProblem.of(e), e);
        }
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("tokens file " + file
                    + " must hold a JSON list of {\"name\",\"sha256\",\"role\"}");
        }
        for (int i = 0; i < list.size() && !clearAllowed; i++) {
            if (list.get(i).has("token")) {
                throw new IllegalArgumentException("tokens file " + file + " holds tokens themselves (entry " + i
                        + " has \"token\"); this version keeps only their SHA-256 hashes. Convert it in place,"
                        + " keeping every name, role and token, with: msix token migrate --tokens " + file);
            }
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> nameOfHash = new HashMap<>();
        Set<String> names = new HashSet<>();
        int converted = 0;
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = "tokens file " + file + ", entry " + i + ": ";
            boolean clear = entry.has("token");
            String name = text(entry, "name", where);
            requireName(name, where);
            String sha256 = clear ? TokensFile.sha256Hex(clearToken(entry, where)) : hash(entry, where);
            Role role;
            try {
                role = Role.parse(text(entry, "role", where));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + bad.getMessage());
            }
            Instant created = clear ? null : created(entry, where);
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + "name \"" + name + "\" is listed twice");
            }
            String other = nameOfHash.putIfAbsent(sha256, name);
            if (other != null) {
                throw new IllegalArgumentException(where + "the same token is listed twice (also as \"" + other + "\")");
            }
            converted += clear ? 1 : 0;
            entries.add(new Entry(name, sha256, role, created));
        }
        return new Parsed(List.copyOf(entries), converted);
    }

    private static String clearToken(JsonNode entry, String where) {
        if (entry.has("sha256")) {
            throw new IllegalArgumentException(where + "has both \"token\" and \"sha256\": keep one");
        }
        String token = text(entry, "token", where);
        if (token.length() < MIN_CLEAR_TOKEN_LENGTH) {
            throw new IllegalArgumentException(where + "token must be at least " + MIN_CLEAR_TOKEN_LENGTH + " characters");
        }
        return token;
    }

    private static String hash(JsonNode entry, String where) {
        for (Iterator<String> fields = entry.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + "unknown field \"" + field + "\" (an entry has "
                        + "\"name\", \"sha256\", \"role\" and optionally \"created\")");
            }
        }
        String sha256 = text(entry, "sha256", where);
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException(where + "sha256 must be 64 lowercase hexadecimal digits");
        }
        return sha256;
    }

    private static Instant created(JsonNode entry, String where) {
        if (!entry.has("created")) {
            return null;
        }
        String created = text(entry, "created", where);
        try {
            return Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "created must be an ISO-8601 instant such as"
                    + " 2026-01-31T12:00:00Z, not \"" + created + "\"");
        }
    }

    private static String text(JsonNode entry, String field, String where) {
        JsonNode value = entry == null ? null : entry.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + "\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    /** Names become the actors of events (docs/event-log.md, "Actor names"). */
    static void requireName(String name, String where) {
        if (!Envelope.isActorName(name)) {
            throw new IllegalArgumentException(where + "name must be 1.." + Envelope.ACTOR_MAX_LENGTH
                    + " printable ASCII characters, no spaces");
        }
    }

    static byte[] render(List<Entry> entries) {
        ArrayNode list = Json.mapper().createArrayNode();
        for (Entry entry : entries) {
            ObjectNode written = list.addObject().put("name", entry.name()).put("sha256", entry.sha256())
                    .put("role", entry.role().text());
            if (entry.created() != null) {
                written.put("created", entry.created().toString());
            }
        }
        return (list.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
