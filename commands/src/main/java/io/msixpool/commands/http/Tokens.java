package io.msixpool.commands.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.msixpool.commands.wire.Json;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.JsonProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens that may call the bus: a JSON list of {@code {"name","token","role"}}.
 *
 * <p>Tokens are kept only as SHA-256 digests and every check compares the caller's digest with
 * every token's, with {@link MessageDigest#isEqual} (constant time) and no early exit, so neither
 * the time nor the order of the list tells an attacker how much of a token was right.
 */
public final class Tokens {
    private static final int MIN_TOKEN_LENGTH = 16;

    private record Entry(byte[] digest, Caller caller) {
    }

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = entries;
    }

    /** Reads a tokens file; every problem is named with the entry it is in. */
    public static Tokens read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tokens file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(Json.mapper().readTree(text), file);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tokens file " + file + " is not JSON: " + JsonProblem.of(e), e);
        }
    }

    private static Tokens parse(JsonNode list, Path file) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("tokens file " + file
                    + " must hold a non-empty JSON list of {\"name\",\"token\",\"role\"}");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = "tokens file " + file + ", entry " + i + ": ";
            String name = text(entry, "name", where);
            String token = text(entry, "token", where);
            String role = text(entry, "role", where);
            if (!Envelope.isActorName(name)) { // names become actors in the event log
                throw new IllegalArgumentException(where + "name must be 1.." + Envelope.ACTOR_MAX_LENGTH
                        + " printable ASCII characters, no spaces");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(where + "token must be at least " + MIN_TOKEN_LENGTH + " characters");
            }
            Role parsedRole;
            try {
                parsedRole = Role.valueOf(role.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "role must be \"operator\" or \"auditor\", not \"" + role + "\"");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + "name \"" + name + "\" is listed twice");
            }
            if (!tokens.add(token)) {
                throw new IllegalArgumentException(where + "the same token is listed twice");
            }
            entries.add(new Entry(digest(token), new Caller(name, parsedRole)));
        }
        return new Tokens(List.copyOf(entries));
    }

    private static String text(JsonNode entry, String field, String where) {
        JsonNode value = entry == null ? null : entry.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + "\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    /**
     * The file a server without {@code --tokens} uses: created on first start with one random
     * operator token, readable and writable by its owner only; kept as it is on later starts.
     *
     * @return true when this call created it
     */
    public static boolean createDefault(Path file) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        ArrayNode list = Json.mapper().createArrayNode();
        list.addObject().put("name", "operator")
                .put("token", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .put("role", "operator");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Created with owner-only permissions, so the token is never readable by others, not even briefly.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException exists) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create tokens file " + file, e);
        }
        try {
            Files.writeString(file, list.toPrettyString() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokens file " + file, e);
        }
        return true;
    }

    /** The caller a bearer token belongs to; empty when it belongs to nobody. */
    public Optional<Caller> authenticate(String token) {
        if (token == null) {
            return Optional.empty();
        }
        byte[] presented = digest(token);
        Caller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(presented, entry.digest())) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
