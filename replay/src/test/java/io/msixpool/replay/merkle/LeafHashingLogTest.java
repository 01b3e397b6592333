package io.msixpool.replay.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.msixpool.replay.LineBatches;
import io.msixpool.replay.LogLines;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leaves an audit hashes as it reads a log are the bytes between newlines, exactly: a carriage
 * return, a blank line, bytes that are not UTF-8 and a last line without its newline are leaves
 * like any other, wherever the reads cut the input; and the lines still reach the reader unchanged.
 */
class LeafHashingLogTest {
    private static final byte[] LOG = concat("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8),
            "{\"b\":2}\r\n".getBytes(StandardCharsets.UTF_8), "\n".getBytes(StandardCharsets.UTF_8),
            new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'}, "{\"c\":\"\u00e9\"}\n".getBytes(StandardCharsets.UTF_8),
            "{\"last\":0}".getBytes(StandardCharsets.UTF_8));

    @Test
    void eachLeafIsTheBytesOfALineWhereverTheReadsCut() {
        List<byte[]> expected = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= LOG.length; i++) {
            if (i == LOG.length || LOG[i] == '\n') {
                if (i > start || i < LOG.length) {
                    expected.add(MerkleHash.leaf(Arrays.copyOfRange(LOG, start, i)));
                }
                start = i + 1;
            }
        }
        assertEquals(6, expected.size(), "a line after the last newline is a leaf");
        for (int readSize = 1; readSize <= LOG.length + 1; readSize++) {
            List<byte[]> leaves = new ArrayList<>();
            List<String> read = new ArrayList<>();
            LogLines hashing = LeafHashingLog.of(new LogLines.Bytes(new Trickle(LOG, readSize)), leaves::add);
            hashing.forEach((line, text) -> text, null, text -> read.add(text), (LineBatches.Progress) (l, c) -> { });
            assertEquals(expected.size(), leaves.size(), "reads of " + readSize);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), leaves.get(i), "leaf " + i + ", reads of " + readSize);
            }
            assertEquals(5, read.size(), "the reader still gets its lines (the blank one passed over)");
        }
    }

    @Test
    void linesOfTextAreHashedAsTheirUtf8() {
        List<byte[]> leaves = new ArrayList<>();
        List<String> lines = List.of("{\"a\":1}", "{\"c\":\"\u00e9\"}");
        LeafHashingLog.of(new LogLines.Text(lines.iterator()), leaves::add)
                .forEach((line, text) -> text, null, text -> true, (l, c) -> { });
        assertEquals(2, leaves.size());
        assertArrayEquals(MerkleHash.leaf("{\"c\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8)), leaves.get(1));
    }

    /** Input that hands out at most {@code step} bytes a read, as a pipe may. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int step;

        Trickle(byte[] bytes, int step) {
            this.in = new ByteArrayInputStream(bytes);
            this.step = step;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            return in.read(bytes, offset, Math.min(length, step));
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
