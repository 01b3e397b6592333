package io.msixpool.replay.merkle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The C2SP signed-note format, as Go's golang.org/x/mod/sumdb/note writes and opens it: the text
 * (one or more lines, each ending in a newline), a blank line, then one line per signature:
 * {@code — <key name> <base64 of the 4-byte key id || the Ed25519 signature of the text>}. The em
 * dash (U+2014) and the space after it are part of the format.
 */
public final class SignedNote {
    private static final String SIGNATURE_PREFIX = "\u2014 ";
    /** Go's limit: a note of more signatures is malformed, so that opening one is cheap. */
    private static final int MAX_SIGNATURES = 100;

    private SignedNote() {
    }

    /** The note of {@code text} signed by {@code key}. */
    public static String sign(String text, NoteKey key) {
        requireWellFormedText(text);
        byte[] signature = key.sign(text.getBytes(StandardCharsets.UTF_8));
        byte[] tagged = ByteBuffer.allocate(4 + signature.length).putInt(key.keyId()).put(signature).array();
        return text + "\n" + SIGNATURE_PREFIX + key.name() + " " + StrictBase64.encode(tagged) + "\n";
    }

    /**
     * The text of {@code note} once a signature by {@code verifier} (its name and key id) is found
     * valid; other keys' signatures are passed over, as Go's note.Open passes over unknown ones.
     *
     * @throws IllegalArgumentException saying why: a malformed note, no signature by this key, or an
     *         invalid one
     */
    public static String open(String note, NoteKey verifier) {
        requireNoControlCharacters(note);
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw malformed("no blank line before the signatures");
        }
        String text = note.substring(0, split + 1);
        String signatures = note.substring(split + 2);
        if (signatures.isEmpty() || !signatures.endsWith("\n")) {
            throw malformed("the signatures do not end with a newline");
        }
        String[] lines = signatures.substring(0, signatures.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw malformed("more than " + MAX_SIGNATURES + " signatures");
        }
        boolean verified = false;
        for (String line : lines) {
            byte[] signature = signatureBy(verifier, line);
            if (signature != null) {
                if (!verifier.verify(text.getBytes(StandardCharsets.UTF_8), signature)) {
                    throw new IllegalArgumentException("the signature by " + verifier.name() + "+" + verifier.keyIdHex()
                            + " is not valid: the note was changed after it was signed");
                }
                verified = true;
            }
        }
        if (!verified) {
            throw new IllegalArgumentException("the note has no signature by " + verifier.name() + "+" + verifier.keyIdHex());
        }
        return text;
    }

    /** The signature of a signature line when it is by {@code verifier}'s name and key id, else null. */
    private static byte[] signatureBy(NoteKey verifier, String line) {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw malformed("a signature line does not start with an em dash and a space");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw malformed("a signature line has no space between name and signature");
        }
        String name = rest.substring(0, space);
        byte[] tagged = StrictBase64.decode(rest.substring(space + 1), "a signature");
        if (name.isEmpty() || name.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '+') || tagged.length < 5) {
            throw malformed("a signature line has an invalid name or signature");
        }
        boolean ours = name.equals(verifier.name()) && ByteBuffer.wrap(tagged).getInt() == verifier.keyId();
        return ours ? Arrays.copyOfRange(tagged, 4, tagged.length) : null;
    }

    private static void requireWellFormedText(String text) {
        requireNoControlCharacters(text);
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw malformed("the text does not end with a newline");
        }
        if (text.contains("\n\n") || text.startsWith("\n")) {
            throw malformed("the text has a blank line, which would end it early");
        }
    }

    /** Valid UTF-16 (so valid UTF-8 once encoded) without ASCII control characters other than newline, as Go requires. */
    private static void requireNoControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x20 && ch != '\n') {
                throw malformed("a control character other than newline");
            }
            if (Character.isSurrogate(ch)) {
                if (!Character.isHighSurrogate(ch) || i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw malformed("a character that is not valid Unicode");
                }
                i++;
            }
        }
    }

    private static IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("a malformed signed note: " + why);
    }
}
