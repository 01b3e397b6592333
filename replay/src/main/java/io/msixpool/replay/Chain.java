package io.msixpool.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

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
        StringBuilder canonical = new StringBuilder(512);
        try {
            writeObject(line, canonical, true);
        } catch (IllegalArgumentException notPrintable) {
            requirePrintableAscii(line, "");  // throws, naming where the character is
            throw notPrintable;
        }
        // Printable ASCII only, so each char is one byte of UTF-8.
        byte[] bytes = new byte[canonical.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) canonical.charAt(i);
        }
        return sha256(bytes);
    }

    /**
     * {@code envelope} linked into its device's chain: with {@code prev} (the hash of the device's
     * previous event, {@link #GENESIS} for its first) and the hash of the line that the event's JSON
     * as stored ({@code event}, without envelope) makes with it. The engine stamps every event with
     * this as it appends it; the auditor recomputes the same hash from the exported line with
     * {@link #hashOf(ObjectNode)}, so writer and auditor hash one canonical form.
     */
    public static Envelope link(ObjectNode event, Envelope envelope, String prev) {
        Envelope withPrev = envelope.chained(prev, null);
        return withPrev.chained(prev, hashOf(EventLogFormat.line(event, withPrev)));
    }

    /**
     * Writes the canonical form of an object: keys sorted, no whitespace. At the top level the
     * envelope is written without its position and hash, which the hash does not cover.
     */
    private static void writeObject(JsonNode object, StringBuilder out, boolean line) {
        List<String> keys = new ArrayList<>(object.size());
        object.fieldNames().forEachRemaining(keys::add);
        Collections.sort(keys);
        out.append('{');
        boolean first = true;
        for (String key : keys) {
            JsonNode value = object.get(key);
            first = writeKey(key, out, first);
            if (line && key.equals(EventLogFormat.ENVELOPE) && value.isObject()) {
                writeEnvelope(value, out);
            } else {
                write(value, out);
            }
        }
        out.append('}');
    }

    private static void writeEnvelope(JsonNode envelope, StringBuilder out) {
        List<String> keys = new ArrayList<>(envelope.size());
        envelope.fieldNames().forEachRemaining(key -> {
            if (!key.equals("position") && !key.equals("hash")) {
                keys.add(key);
            }
        });
        Collections.sort(keys);
        out.append('{');
        boolean first = true;
        for (String key : keys) {
            first = writeKey(key, out, first);
            write(envelope.get(key), out);
        }
        out.append('}');
    }

    private static boolean writeKey(String key, StringBuilder out, boolean first) {
        if (!first) {
            out.append(',');
        }
        writeString(key, out);
        out.append(':');
        return false;
    }

    private static void write(JsonNode value, StringBuilder out) {
        switch (value.getNodeType()) {
            case OBJECT -> writeObject(value, out, false);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(value.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(value.textValue(), out);
            // Jackson's own text of the number, as its serializer (and Python, for integers) writes it.
            // Written here, not with value.toString(), which runs a whole Jackson writer per scalar
            // (a quarter of msix audit's time). Integers are plain decimal digits either way.
            case NUMBER -> out.append(value.isIntegralNumber() ? value.asText() : value.toString());
            case BOOLEAN -> out.append(value.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("not JSON: " + value.getNodeType());
        }
    }

    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x20 || ch > 0x7E) {
                throw new IllegalArgumentException("a character outside printable ASCII (0x20..0x7E)");
            }
            if (ch == '"' || ch == '\\') {
                out.append('\\');
            }
            out.append(ch);
        }
        out.append('"');
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
