package io.msixpool.replay.merkle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The hashes of RFC 9162 section 2.1.1 with SHA-256: a leaf is SHA-256(0x00 || data), an inner node
 * SHA-256(0x01 || left || right), the empty tree SHA-256 of nothing. The two prefixes keep a leaf
 * from ever being taken for an inner node (a second preimage), which is what lets any RFC 9162 or
 * RFC 6962 implementation check our trees.
 */
public final class MerkleHash {
    public static final int SIZE = 32;
    private static final byte[] EMPTY_ROOT = sha256().digest();
    /** A digest per thread: the tree of a million-line log takes two million hashes. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(MerkleHash::sha256);

    private MerkleHash() {
    }

    /** The root of the tree of no leaves: SHA-256 of nothing (e3b0c442...). */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    public static byte[] leaf(byte[] data) {
        MessageDigest digest = DIGEST.get();
        digest.update((byte) 0x00);
        return digest.digest(data);
    }

    /**
     * The leaf hash of one line of the exported log: its UTF-8 bytes without the newline that ends it
     * (issue 13: leaf i is the i-th line of {@code msix export}).
     */
    public static byte[] leafOfLine(String line) {
        return leaf(line.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest digest = DIGEST.get();
        digest.update((byte) 0x01);
        digest.update(left);
        return digest.digest(right);
    }

    /** True for a hash of the right length; a proof holding any other is refused, never padded. */
    static boolean wellFormed(byte[] hash) {
        return hash != null && hash.length == SIZE;
    }

    /** Constant-time comparison: a verifier's answer should not tell how much of a forged root was right. */
    static boolean same(byte[] a, byte[] b) {
        return wellFormed(a) && wellFormed(b) && MessageDigest.isEqual(a, b);
    }

    static byte[] copy(byte[] hash) {
        return Arrays.copyOf(hash, hash.length);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
