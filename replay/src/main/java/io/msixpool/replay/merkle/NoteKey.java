package io.msixpool.replay.merkle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 key of the C2SP signed-note format, in the two text forms Go's
 * golang.org/x/mod/sumdb/note writes (so that its tools make keys we read and read keys we make):
 * the private key {@code PRIVATE+KEY+<name>+<key id>+<base64 of 0x01 || 32-byte seed>} and the
 * verifier key {@code <name>+<key id>+<base64 of 0x01 || 32-byte public key>}. The key id is the
 * first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), 8 hex digits; a key whose id does
 * not match is refused, which catches a key copied with a typo or given another name.
 */
public final class NoteKey {
    private static final byte ED25519 = 0x01;
    private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";
    /** The DER header of an X.509 Ed25519 public key: the JDK's encoding is this and the 32 raw bytes. */
    private static final byte[] X509_ED25519 = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final byte[] seed;

    private NoteKey(String name, byte[] publicKey, byte[] seed) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("a key name is 1 or more printable ASCII characters, no space and no +");
        }
        this.name = name;
        this.publicKey = publicKey;
        this.seed = seed;
        this.keyId = keyId(name, publicKey);
    }

    /**
     * True for a name that is a key name (and a checkpoint origin): printable ASCII other than space,
     * without {@code +}. Go's note package takes any UTF-8 without spaces or {@code +}; this is
     * narrower, so every name we make is one it takes, and no Unicode space escapes a check.
     */
    public static boolean isValidName(String name) {
        return name != null && !name.isEmpty() && name.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7E && ch != '+');
    }

    /** A new key named {@code name}, from the system's strong randomness. */
    public static NoteKey generate(String name) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return new NoteKey(name, publicKeyOf(seed), seed);
    }

    /** Reads a private key ({@code PRIVATE+KEY+...}); its key id must be that of the key it holds. */
    public static NoteKey parsePrivate(String text) {
        String key = text.strip();
        if (!key.startsWith(PRIVATE_PREFIX)) {
            throw new IllegalArgumentException("a signing key starts with " + PRIVATE_PREFIX);
        }
        String[] parts = key.substring(PRIVATE_PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a signing key is PRIVATE+KEY+<name>+<8 hex key id>+<base64 key>");
        }
        byte[] seed = keyBytes(parts[2], "the signing key");
        NoteKey read = new NoteKey(parts[0], publicKeyOf(seed), seed);
        read.requireKeyId(parts[1]);
        return read;
    }

    /** Reads a verifier key ({@code <name>+<key id>+<base64>}); its key id must be that of the key it holds. */
    public static NoteKey parseVerifier(String text) {
        // The base64 key may hold + itself: only the first two separate fields, as in Go's note package.
        String[] parts = text.strip().split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a verifier key is <name>+<8 hex key id>+<base64 key>");
        }
        NoteKey read = new NoteKey(parts[0], keyBytes(parts[2], "the verifier key"), null);
        read.requireKeyId(parts[1]);
        return read;
    }

    public String name() {
        return name;
    }

    /** The key id as 8 lowercase hex digits, as both key forms write it. */
    public String keyIdHex() {
        return HexFormat.of().toHexDigits(keyId);
    }

    int keyId() {
        return keyId;
    }

    public boolean canSign() {
        return seed != null;
    }

    /** The verifier key: what a third party needs to check our signatures, and nothing secret. */
    public String verifierKey() {
        return name + "+" + keyIdHex() + "+" + StrictBase64.encode(tagged(publicKey));
    }

    /** The private key in Go's form: what {@code STORE/checkpoint.key} holds. Never log it. */
    public String privateKeyText() {
        if (seed == null) {
            throw new IllegalStateException("a verifier key cannot sign");
        }
        return PRIVATE_PREFIX + name + "+" + keyIdHex() + "+" + StrictBase64.encode(tagged(seed));
    }

    /** This key without its private part. */
    public NoteKey verifier() {
        return new NoteKey(name, publicKey, null);
    }

    byte[] sign(byte[] message) {
        if (seed == null) {
            throw new IllegalStateException("a verifier key cannot sign");
        }
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ signs with Ed25519", e);
        }
    }

    boolean verify(byte[] message, byte[] signature) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                    ByteBuffer.allocate(X509_ED25519.length + 32).put(X509_ED25519).put(publicKey).array()));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;  // a public key that is no curve point, say: nothing it signs is valid
        }
    }

    private void requireKeyId(String written) {
        if (!written.equals(keyIdHex())) {
            throw new IllegalArgumentException("the key id " + written + " is not that of key " + name
                    + " (" + keyIdHex() + "): the key was changed or renamed");
        }
    }

    private static byte[] keyBytes(String base64, String what) {
        byte[] tagged = StrictBase64.decode(base64, what);
        if (tagged.length != 33 || tagged[0] != ED25519) {
            throw new IllegalArgumentException(what + " is not an Ed25519 key (0x01 and 32 bytes)");
        }
        return Arrays.copyOfRange(tagged, 1, 33);
    }

    private static byte[] tagged(byte[] key) {
        return ByteBuffer.allocate(33).put(ED25519).put(key).array();
    }

    static int keyId(String name, byte[] publicKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(name.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(tagged(publicKey));
            return ByteBuffer.wrap(sha256.digest()).getInt();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The public key of a seed. The JDK derives it only while generating a pair, from the 32 bytes it
     * draws from its randomness (RFC 8032's private key), so the seed is handed over as that randomness.
     */
    private static byte[] publicKeyOf(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedAsRandomness(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            if (encoded.length != X509_ED25519.length + 32
                    || !Arrays.equals(encoded, 0, X509_ED25519.length, X509_ED25519, 0, X509_ED25519.length)) {
                throw new IllegalStateException("an Ed25519 public key the JDK encodes unlike X.509");
            }
            return Arrays.copyOfRange(encoded, X509_ED25519.length, encoded.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ has Ed25519", e);
        }
    }

    /** Randomness that yields the seed, once, and refuses to be read further. */
    private static final class SeedAsRandomness extends SecureRandom {
        private byte[] seed;

        SeedAsRandomness(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (seed == null || bytes.length != seed.length) {
                throw new IllegalStateException("the JDK's Ed25519 generator drew other than one 32-byte private key");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
            Arrays.fill(seed, (byte) 0);
            seed = null;
        }
    }

    @Override
    public String toString() {
        return verifierKey();
    }
}
