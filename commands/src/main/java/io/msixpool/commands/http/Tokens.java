package io.msixpool.commands.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens that may call the bus, from a tokens file ({@link TokensFile}), which holds their
 * SHA-256 hashes only.
 *
 * <p>Every check compares the caller's digest with every token's, with {@link MessageDigest#isEqual}
 * (constant time) and no early exit, so neither the time nor the order of the list tells an attacker
 * how much of a token was right.
 *
 * <p>{@link #follow} keeps to the file while the server runs: before each authentication it looks at
 * the file's identity, modification time, size and mode (one stat), and reads it again when any of
 * them changed, so the first request after a change (a rename into place included) sees it. A change
 * that makes the file invalid keeps the tokens in force before it and is logged once.
 */
public final class Tokens {
    private static final Logger LOG = LoggerFactory.getLogger(Tokens.class);

    private record Entry(byte[] digest, Caller caller) {
    }

    /** What a change of the file changes: a rename gives a new file key, an edit the time or size, a chmod the mode. */
    private record Stamp(Object fileKey, FileTime modified, long size, Set<PosixFilePermission> permissions) {
        static final Stamp UNREADABLE = new Stamp(null, null, -1, Set.of());
    }

    /** Null for tokens read once. */
    private final Path source;
    private volatile List<Entry> entries;
    private volatile Stamp seen;
    /** Why the file as it is now is not in force; null while it is. */
    private volatile String problem;

    private Tokens(Path source, List<Entry> entries, Stamp seen) {
        this.source = source;
        this.entries = entries;
        this.seen = seen;
    }

    /** Reads a tokens file once; every problem is named with the file (and the entry it is in). */
    public static Tokens read(Path file) {
        return new Tokens(null, load(file), null);
    }

    /** Reads a tokens file, as {@link #read}, and keeps to it as it changes. */
    public static Tokens follow(Path file) {
        Stamp stamp = stamp(file); // before the read: a change while reading is seen on the next look
        return new Tokens(file, load(file), stamp);
    }

    /** How many tokens are in force. */
    public int size() {
        return entries.size();
    }

    /** The caller a bearer token belongs to; empty when it belongs to nobody. */
    public Optional<Caller> authenticate(String token) {
        if (source != null) {
            refresh();
        }
        if (token == null) {
            return Optional.empty();
        }
        byte[] presented = TokensFile.digest(token);
        Caller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(presented, entry.digest())) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Why the file as it is now is not in force, for tests that wait until a bad change was seen. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private void refresh() {
        if (stamp(source).equals(seen)) {
            return;
        }
        synchronized (this) {
            Stamp now = stamp(source);
            if (now.equals(seen)) {
                return; // another request read it meanwhile
            }
            seen = now;
            try {
                entries = load(source);
                if (problem != null) {
                    LOG.warn("tokens file {} is valid again: its {} tokens are in force", source, entries.size());
                } else {
                    LOG.info("tokens file {} changed: {} tokens in force", source, entries.size());
                }
                problem = null;
            } catch (IllegalArgumentException bad) {
                problem = bad.getMessage();
                LOG.warn("{} (the tokens in force before this change stay in force until it is fixed)", problem);
            }
        }
    }

    private static Stamp stamp(Path file) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
            return new Stamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size(),
                    attributes.permissions());
        } catch (IOException | UnsupportedOperationException unreadable) {
            return Stamp.UNREADABLE; // reading it says why, and the tokens in force stay
        }
    }

    private static List<Entry> load(Path file) {
        return TokensFile.read(file).stream()
                .map(entry -> new Entry(HexFormat.of().parseHex(entry.sha256()), new Caller(entry.name(), entry.role())))
                .toList();
    }
}
