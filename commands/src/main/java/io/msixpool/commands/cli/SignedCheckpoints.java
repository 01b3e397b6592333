package io.msixpool.commands.cli;

import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.NoteKey;
import io.msixpool.replay.merkle.SignedNote;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What an auditor's commands read: a verifier key ({@code --key}) and signed checkpoint files. A
 * key that cannot be read is bad usage (exit 2); a checkpoint that cannot be read, is not signed
 * by that key or names another log is a finding about the checkpoint ({@link Refused}, exit 1).
 */
final class SignedCheckpoints {
    static final String KEY_HELP = "the log's verifier key, as `msix key` prints it (<origin>+<key id>+<base64>),"
            + " or @FILE for a file holding it";

    private SignedCheckpoints() {
    }

    /** A checkpoint the auditor cannot take, with why. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** The verifier key of {@code --key}: its text, or {@code @FILE}'s. */
    static NoteKey verifierKey(CommandSpec spec, String option, String value) {
        String text = value;
        if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), option + " " + value + ": cannot read "
                        + Msix.describe(e));
            }
        }
        try {
            return NoteKey.parseVerifier(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + " " + (value.startsWith("@") ? value + ": " : "")
                    + "not a verifier key: " + e.getMessage());
        }
    }

    /**
     * The checkpoint in {@code file}, once its signature by {@code key} is found valid and its origin
     * is the key's name.
     */
    static Checkpoint open(Path file, NoteKey key) throws Refused {
        String note;
        try {
            note = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new Refused("checkpoint " + file + " is not UTF-8 text: not a signed checkpoint");
        } catch (IOException e) {
            throw new Refused("checkpoint " + Msix.describe(e));  // "checkpoint PATH: no such file or directory"
        }
        try {
            SignedNote.open(note, key);
        } catch (IllegalArgumentException unsigned) {
            throw new Refused("checkpoint " + file + " is refused: " + unsigned.getMessage() + otherLog(note, key));
        }
        try {
            return Checkpoint.open(note, key);
        } catch (IllegalArgumentException refused) {
            throw new Refused("checkpoint " + file + " is refused: " + refused.getMessage());
        }
    }

    /**
     * Why a note has no valid signature by the key, when its body (unverified, so only a hint) names
     * another log: the key of another log was given, or the checkpoint is of another log.
     */
    private static String otherLog(String note, NoteKey key) {
        int split = note.lastIndexOf("\n\n");
        try {
            String origin = Checkpoint.parseBody(note.substring(0, split + 1)).origin();
            return origin.equals(key.name()) ? "" : " (the checkpoint says it is of log " + origin + ", the key is of log "
                    + key.name() + ": a checkpoint of one log is never checked with another's key)";
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
