package io.msixpool.replay.merkle;

import java.util.Base64;

/**
 * Standard base64 with padding, each value in exactly one spelling: Java's decoder takes a missing
 * padding and stray bits after the last byte, so two spellings of one root or key would both be
 * read; text that is not what encoding its bytes gives back is refused.
 */
public final class StrictBase64 {
    private StrictBase64() {
    }

    public static byte[] decode(String text, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64");
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException(what + " is not standard padded base64");
        }
        return bytes;
    }

    public static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
