package io.msixpool.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lines reach the fold in order with their numbers, however the bytes are cut into batches. */
class LineBatchesTest {

    /** What a reader of lines would see: every line of the text with its 1-based number, blank ones left out. */
    private static List<String> expected(String text) {
        List<String> lines = new ArrayList<>();
        String[] split = text.split("\n", -1);
        int count = text.endsWith("\n") ? split.length - 1 : split.length;
        for (int i = 0; i < count; i++) {
            String line = split[i].endsWith("\r") ? split[i].substring(0, split[i].length() - 1) : split[i];
            if (!line.isBlank()) {
                lines.add((i + 1) + ":" + line);
            }
        }
        return lines;
    }

    private static List<String> read(String text, int chunk, LineBatches.BatchParser<String> batchParser,
                                     long[] progress) {
        List<String> seen = new ArrayList<>();
        LineBatches.forEach(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                (line, content) -> line + ":" + content, batchParser, seen::add, (lines, bytes) -> {
                    progress[0] = lines;
                    progress[1] = bytes;
                }, chunk);
        return seen;
    }

    @Test
    void everyLineInOrderWithItsNumberForAnyCutOfTheBytes() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int lines = random.nextInt(60);
            for (int i = 0; i < lines; i++) {
                int length = random.nextInt(5) == 0 ? 0 : random.nextInt(random.nextInt(10) == 0 ? 300 : 40);
                for (int c = 0; c < length; c++) {
                    text.append((char) ('a' + random.nextInt(26)));
                }
                if (random.nextInt(8) == 0) {
                    text.append("é\r");  // two bytes in UTF-8, and a CR before the line end
                }
                if (i < lines - 1 || random.nextBoolean()) {
                    text.append('\n');
                }
            }
            long[] progress = new long[2];
            int chunk = 1 + random.nextInt(100);
            assertEquals(expected(text.toString()), read(text.toString(), chunk, null, progress), "chunk " + chunk);
            assertEquals(text.toString().getBytes(StandardCharsets.UTF_8).length, progress[1]);
            long lineCount = text.isEmpty() ? 0 : text.chars().filter(ch -> ch == '\n').count()
                    + (text.charAt(text.length() - 1) == '\n' ? 0 : 1);
            assertEquals(lineCount, progress[0]);
        }
    }

    @Test
    void aBatchParserThatDeclinesHandsTheBatchToTheLineParser() {
        String text = "one\ntwo\n\nthree\nfour\n";
        // Reads batches whose first byte is 'o' itself (as upper case), declines the others.
        LineBatches.BatchParser<String> sometimes = (bytes, from, to) -> bytes[from] != 'o' ? null
                : new String(bytes, from, to - from, StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isBlank()).map(String::toUpperCase).toList();
        List<String> seen = read(text, 4, sometimes, new long[2]);
        assertEquals(List.of("ONE", "2:two", "4:three", "5:four"), seen);
    }

    @Test
    void theFoldStopsWhenItSaysSoAndAFailureReachesTheCaller() {
        List<String> seen = new ArrayList<>();
        LineBatches.forEach(new ByteArrayInputStream("a\nb\nc\nd\n".getBytes(StandardCharsets.UTF_8)),
                (line, text) -> text, null, text -> seen.add(text) && !text.equals("b"), (l, c) -> { }, 2);
        assertEquals(List.of("a", "b"), seen);

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () ->
                LineBatches.forEach(new ByteArrayInputStream("a\nbad\nc\n".getBytes(StandardCharsets.UTF_8)),
                        (line, text) -> {
                            if (text.equals("bad")) {
                                throw new IllegalArgumentException("line " + line + " is bad");
                            }
                            return text;
                        }, null, text -> true, (l, c) -> { }, 3));
        assertTrue(failure.getMessage().contains("line 2"), failure.getMessage());
    }
}
