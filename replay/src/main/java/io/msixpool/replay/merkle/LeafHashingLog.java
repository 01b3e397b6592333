package io.msixpool.replay.merkle;

import io.msixpool.replay.LogLines;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * A log whose lines are also handed, as Merkle leaf hashes, to a consumer while it is read: so an
 * audit checks a checkpoint's root in the same single pass over the log, not in a second read.
 *
 * <p>A file's leaves are hashed from its bytes as read, not from the decoded lines the audit parses:
 * leaf i is SHA-256(0x00 || the bytes between the i-th and (i+1)-th newline), exactly the bytes a
 * checkpoint covered. A carriage return, a blank line or bytes that are not UTF-8 are part of a
 * leaf like anything else (the audit's reader passes over them; a root must not), and a last line
 * without its newline is a leaf too. The leaves arrive on the reading thread, in order; the last
 * one when the stream reports its end, which a reader that reads the whole log always sees.
 */
public final class LeafHashingLog {
    private LeafHashingLog() {
    }

    /** {@code lines}, handing each line's leaf hash to {@code leaves} as it is read. */
    public static LogLines of(LogLines lines, Consumer<byte[]> leaves) {
        return switch (lines) {
            case LogLines.Bytes bytes -> new LogLines.Bytes(new HashingStream(bytes.in(), leaves));
            case LogLines.Text text -> new LogLines.Text(new HashingIterator(text.lines(), leaves));
        };
    }

    /** Lines of text (a store read as export writes it): each line's UTF-8 bytes are the export's. */
    private record HashingIterator(Iterator<String> lines, Consumer<byte[]> leaves) implements Iterator<String> {
        @Override
        public boolean hasNext() {
            return lines.hasNext();
        }

        @Override
        public String next() {
            String line = lines.next();
            leaves.accept(MerkleHash.leafOfLine(line));
            return line;
        }
    }

    /** Splits the bytes read at each newline, hashing as they pass: no line is held in memory. */
    private static final class HashingStream extends FilterInputStream {
        private final Consumer<byte[]> leaves;
        private final MessageDigest digest;
        /** Bytes of a line after the last newline: at the end, a last line without its newline. */
        private boolean lineOpen;
        private boolean ended;

        HashingStream(InputStream in, Consumer<byte[]> leaves) {
            super(in);
            this.leaves = leaves;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
            digest.update((byte) 0x00);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int read = in.read(bytes, offset, length);
            if (read < 0) {
                end();
                return read;
            }
            int start = offset;
            int end = offset + read;
            for (int i = offset; i < end; i++) {
                if (bytes[i] == '\n') {
                    digest.update(bytes, start, i - start);
                    leaf();
                    start = i + 1;
                }
            }
            digest.update(bytes, start, end - start);
            lineOpen |= start < end;
            return read;
        }

        /** Skipping would pass bytes by unhashed: refused, so no reader can do it by accident. */
        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("a hashed log is read, not skipped");
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void leaf() {
            leaves.accept(digest.digest());
            digest.update((byte) 0x00);
            lineOpen = false;
        }

        private void end() {
            if (!ended && lineOpen) {
                leaf();
            }
            ended = true;
        }
    }
}
