package io.msixpool.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The tamper-evident chain (docs/event-log.md, "The chain"). Each event's hash is SHA-256 over the
 * canonical form of its exported line without {@code envelope.position} (the store assigns it after
 * the hash is fixed) and without {@code envelope.hash} itself; that line holds {@code envelope.prev},
 * the hash of the device's previous event, which is what chains the device's events.
 *
 * <p>Canonical form: JSON with every object's keys in ascending order, no whitespace, integers as
 * plain digits. Every key and string in a valid line is printable ASCII (this class refuses others),
 * so only {@code "} and {@code \} are escaped; Python's
 * {@code json.dumps(line, sort_keys=True, separators=(",", ":"))} writes the same bytes, which is
 * what lets a third party verify a log in a few lines of another language.
 *
 * <p>The hash is computed from the line's JSON tree, not from the event records, so a field added
 * to an exported line is caught as well as a field changed.
 */
public final class Chain {
    /** The {@code prev} of a device's first event (sequence 0). */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Chain() {
    }

    /**
     * The hash an exported line's envelope must carry, computed from that line.
     *
     * @throws IllegalArgumentException when a key or string of the line holds a character outside
     *         printable ASCII (0x20..0x7E): JSON writers disagree on how to escape those, so the canonical
     *         form, and with it the hash, would depend on the language computing it
     */
    public static String hashOf(ObjectNode line) {
        requirePrintableAscii(line, "");
        ObjectNode hashed = line.deepCopy();
        if (hashed.get(EventLogFormat.ENVELOPE) instanceof ObjectNode envelope) {
            envelope.remove("position");
            envelope.remove("hash");
        }
        try {
            // Maps, not tree nodes: ORDER_MAP_ENTRIES_BY_KEYS sorts map keys at every depth.
            byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.convertValue(hashed, Map.class));
            return sha256(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    /** The hash of a current-revision event once its envelope's {@code prev} is set; its position and hash are ignored. */
    public static String hashOf(LoggedEvent logged) {
        return hashOf(EventLogFormat.tree(logged));
    }

    private static boolean isPrintableAscii(String text) {
        return text.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7E);
    }

    private static void requirePrintableAscii(JsonNode node, String path) {
        if (node.isTextual() && !isPrintableAscii(node.asText())) {
            throw new IllegalArgumentException(path + " holds a character outside printable ASCII (0x20..0x7E)");
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (!isPrintableAscii(field.getKey())) {
                throw new IllegalArgumentException("key " + at + " holds a character outside printable ASCII (0x20..0x7E)");
            }
            requirePrintableAscii(field.getValue(), at);
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            requirePrintableAscii(node.get(i), path + "[" + i + "]");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
