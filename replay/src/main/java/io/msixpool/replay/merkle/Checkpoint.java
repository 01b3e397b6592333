package io.msixpool.replay.merkle;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A checkpoint of the C2SP tlog-checkpoint format: the body of a signed note whose lines are the
 * log's origin, the tree size in decimal, the base64 root hash, then any extension lines (we write
 * none, and read them so that a checkpoint with some still opens). The origin is also the name of
 * the key that signs it, so a checkpoint of one log is never taken for one of another.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

    public Checkpoint {
        if (!NoteKey.isValidName(origin)) {
            throw new IllegalArgumentException("an origin is a key name: printable ASCII, no space and no +");
        }
        if (size < 0) {
            throw new IllegalArgumentException("a tree size is not negative");
        }
        if (!MerkleHash.wellFormed(rootHash)) {
            throw new IllegalArgumentException("a root hash has " + MerkleHash.SIZE + " bytes");
        }
        if (size == 0 && !MessageDigest.isEqual(rootHash, MerkleHash.emptyRoot())) {
            throw new IllegalArgumentException("the root of an empty tree is SHA-256 of nothing");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        if (extensions.stream().anyMatch(line -> line.isEmpty() || line.contains("\n"))) {
            throw new IllegalArgumentException("an extension is one line, not empty");
        }
    }

    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /** The checkpoint of {@code tree}'s first {@code size} leaves. */
    public static Checkpoint of(String origin, MerkleTree tree, long size) {
        return new Checkpoint(origin, size, tree.root(size));
    }

    /**
     * A new log's origin when none is given: {@code msix-pool/} and 8 random hex digits. Random, not
     * derived from a host name or URL, so it says nothing of where the log runs and two stores
     * never share one by accident.
     */
    public static String randomOrigin() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return "msix-pool/" + HexFormat.of().formatHex(random);
    }

    /**
     * The checkpoint of {@code tree}'s first {@code newSize} leaves, after this one: refused unless the
     * tree still holds this checkpoint's tree as its prefix (the same root at this size), because a
     * log that signs two checkpoints no consistency proof links has forked its history.
     *
     * @throws IllegalStateException when the tree is not an extension of this checkpoint's
     */
    public Checkpoint next(MerkleTree tree, long newSize) {
        if (newSize < size) {
            throw new IllegalStateException("a checkpoint of " + newSize + " events after one of " + size);
        }
        if (tree.size() < size || !MessageDigest.isEqual(tree.root(size), rootHash)) {
            throw new IllegalStateException("the log's first " + size + " events are not those of the checkpoint"
                    + " signed before: the log was changed, no checkpoint is signed over it");
        }
        return new Checkpoint(origin, newSize, tree.root(newSize));
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text: origin, size, root and extensions, each line ending in a newline. */
    public String body() {
        StringBuilder body = new StringBuilder()
                .append(origin).append('\n')
                .append(size).append('\n')
                .append(StrictBase64.encode(rootHash)).append('\n');
        extensions.forEach(line -> body.append(line).append('\n'));
        return body.toString();
    }

    /** The signed note of this checkpoint; the key must be named as the origin. */
    public String sign(NoteKey key) {
        if (!key.name().equals(origin)) {
            throw new IllegalArgumentException("the key " + key.name() + " is not the key of log " + origin);
        }
        return SignedNote.sign(body(), key);
    }

    /**
     * The checkpoint of a signed note, once its signature by {@code verifier} is found valid and its
     * origin is the verifier's name.
     */
    public static Checkpoint open(String note, NoteKey verifier) {
        Checkpoint checkpoint = parseBody(SignedNote.open(note, verifier));
        if (!checkpoint.origin.equals(verifier.name())) {
            throw new IllegalArgumentException("the checkpoint is of log " + checkpoint.origin
                    + ", signed by a key named " + verifier.name());
        }
        return checkpoint;
    }

    /** Reads a checkpoint's body (the text of its note, without signatures). */
    public static Checkpoint parseBody(String body) {
        if (!body.endsWith("\n")) {
            throw new IllegalArgumentException("a checkpoint's body ends with a newline");
        }
        List<String> lines = Arrays.asList(body.substring(0, body.length() - 1).split("\n", -1));
        if (lines.size() < 3) {
            throw new IllegalArgumentException("a checkpoint has an origin, a tree size and a root hash, a line each");
        }
        if (!DECIMAL.matcher(lines.get(1)).matches()) {
            throw new IllegalArgumentException("a checkpoint's tree size is decimal digits without leading zeros");
        }
        long size;
        try {
            size = Long.parseLong(lines.get(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a checkpoint's tree size is beyond 2^63 - 1");
        }
        return new Checkpoint(lines.get(0), size, StrictBase64.decode(lines.get(2), "a checkpoint's root hash"),
                lines.subList(3, lines.size()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint that && origin.equals(that.origin) && size == that.size
                && Arrays.equals(rootHash, that.rootHash) && extensions.equals(that.extensions);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * origin.hashCode() + Long.hashCode(size)) + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return body();
    }
}
