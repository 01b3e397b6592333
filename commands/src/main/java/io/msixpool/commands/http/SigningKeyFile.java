package io.msixpool.commands.http;

import io.msixpool.replay.merkle.NoteKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file of the key that signs the log's checkpoints (issue 13): one line, the signed-note private
 * key in the form Go's golang.org/x/mod/sumdb/note writes ({@code PRIVATE+KEY+<name>+<id>+<key>}),
 * so that standard tools can make one. The key's name is the log's origin. Like the tokens file it is
 * its owner's only (mode 0600) and a file others may read is refused: whoever reads it can sign
 * checkpoints of this log. An embedded store keeps it as {@code STORE/checkpoint.key}.
 */
public final class SigningKeyFile {
    public static final String IN_STORE = "checkpoint.key";

    private SigningKeyFile() {
    }

    /** The key of {@code file}; every problem (missing, readable by others, not a key) is named with the file. */
    public static NoteKey read(Path file) {
        String text;
        try {
            OwnerOnlyFile.requirePrivate(file, "a signing key");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            throw new IllegalArgumentException("no signing key at " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the signing key " + file + ": " + e.getMessage(), e);
        }
        try {
            return NoteKey.parsePrivate(text);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(file + " is not a signing key: " + bad.getMessage());
        }
    }

    /**
     * Creates {@code file} (owner-only) with a new key named {@code origin}, unless it exists: two
     * processes creating it at once make one key, and the other reads it.
     *
     * @return the new key when this call created the file
     */
    public static Optional<NoteKey> create(Path file, String origin) {
        NoteKey key = NoteKey.generate(origin);
        try {
            byte[] text = (key.privateKeyText() + "\n").getBytes(StandardCharsets.UTF_8);
            return OwnerOnlyFile.createNew(file, text) ? Optional.of(key) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the signing key " + file, e);
        }
    }
}
