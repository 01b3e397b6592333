package io.msixpool.commands.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tokens file (docs/http.md, "Tokens and roles"): a JSON list of {@code {"name","sha256","role"}}
 * with an optional {@code "created"}, each token kept only as the lowercase hex SHA-256 of its UTF-8
 * bytes, so the file gives away no token. Only its owner may read or write it, and every change is
 * an atomic rewrite under a lock ({@link OwnerOnlyFile}).
 */
public final class TokensFile {
    /** One token: its name (the actor of its events), its hash and role, and when it was made (null: unknown). */
    public record Entry(String name, String sha256, Role role, Instant created) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokensFile() {
    }

    /** The entries of a tokens file; every problem (mode, form, JSON, an entry) is named with the file. */
    public static List<Entry> read(Path file) {
        String text;
        try {
            OwnerOnlyFile.requirePrivate(file);
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        return TokensFileFormat.parse(file, text, false).entries();
    }

    /** A new token: 32 random bytes, base64url without padding. */
    public static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Lowercase hex of the SHA-256 of the token's UTF-8 bytes: what the file keeps of a token. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(digest(token));
    }

    /** The SHA-256 of the token's UTF-8 bytes. */
    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Adds a new token named {@code name}, creating the file (owner-only) where it is missing.
     *
     * @return the token, which from now on exists only in the caller's hands
     */
    public static String add(Path file, String name, Role role) {
        TokensFileFormat.requireName(name, "");
        String token = newToken();
        Entry entry = new Entry(name, sha256Hex(token), role, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try {
            if (Files.notExists(file) && OwnerOnlyFile.createNew(file, TokensFileFormat.render(List.of(entry)))) {
                return token;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create tokens file " + file, e);
        }
        update(file, false, parsed -> {
            List<Entry> entries = parsed.entries();
            if (entries.stream().anyMatch(present -> present.name().equals(name))) {
                throw new IllegalArgumentException("a token named \"" + name + "\" is already in " + file
                        + ": choose another name, or revoke it first (msix token revoke)");
            }
            List<Entry> more = new ArrayList<>(entries);
            more.add(entry);
            return more;
        });
        return token;
    }

    /** Removes the token named {@code name}; false when there is none. */
    public static boolean revoke(Path file, String name) {
        return update(file, false, parsed -> {
            List<Entry> entries = parsed.entries();
            List<Entry> kept = entries.stream().filter(entry -> !entry.name().equals(name)).toList();
            return kept.size() == entries.size() ? null : kept;
        });
    }

    /**
     * Rewrites a file of the old form in place with the hash of every token, keeping names, roles and
     * order, so its clients keep their tokens.
     *
     * @return how many tokens were converted (0: the file held hashes only and is left as it is)
     */
    public static int migrate(Path file) {
        int[] converted = {0};
        update(file, true, parsed -> {
            converted[0] = parsed.converted();
            return converted[0] == 0 ? null : parsed.entries();
        });
        return converted[0];
    }

    /**
     * The file a server without {@code --tokens} uses: created with one new operator token named
     * {@code operator}, unless it exists (then kept as it is).
     *
     * @return the new token when this call created the file
     */
    public static Optional<String> createDefault(Path file) {
        String token = newToken();
        Entry entry = new Entry("operator", sha256Hex(token), Role.OPERATOR, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try {
            return OwnerOnlyFile.createNew(file, TokensFileFormat.render(List.of(entry))) ? Optional.of(token) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create tokens file " + file, e);
        }
    }

    /**
     * Reads, changes and rewrites the file under its lock; {@code change} answers the new entries, or
     * null for no change (nothing written).
     *
     * @return whether the file was rewritten
     */
    private static boolean update(Path file, boolean clearAllowed, Function<TokensFileFormat.Parsed, List<Entry>> change) {
        try {
            OwnerOnlyFile.requirePrivate(file); // before the lock, which opens the file for writing
            return OwnerOnlyFile.locked(file, text -> {
                List<Entry> changed = change.apply(TokensFileFormat.parse(file, text, clearAllowed));
                if (changed == null) {
                    return false;
                }
                OwnerOnlyFile.replace(file, TokensFileFormat.render(changed));
                return true;
            });
        } catch (NoSuchFileException | AccessDeniedException unreadable) {
            throw cannotRead(file, unreadable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite tokens file " + file, e);
        }
    }

    private static IllegalArgumentException cannotRead(Path file, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
        return new IllegalArgumentException("cannot read tokens file " + file + ": " + why, e);
    }
}
