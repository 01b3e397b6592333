package io.msixpool.replay;

import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Reads a log's lines in batches, parses each batch on every core, and hands the parsed lines on
 * in log order, on the caller's thread. Parsing a line needs nothing but the line; folding needs
 * order; so a fold runs at the speed of one core while the parsing (most of the work) runs on all.
 */
public final class LineBatches {
    /** Lines parsed together: enough to keep every core busy, few enough to stay in cache. */
    private static final int BATCH = 2048;

    /** How one line is parsed: its 1-based number and its text in, anything out. */
    @FunctionalInterface
    public interface LineParser<T> {
        T parse(long line, String text);
    }

    /** Progress so far: lines read and characters read (including each line's end). */
    @FunctionalInterface
    public interface Progress {
        void read(long lines, long chars);
    }

    private LineBatches() {
    }

    /**
     * Parses every line and hands each result to {@code each}, in order, until {@code each} answers
     * false or the lines end; blank lines are skipped but counted.
     */
    public static <T> void forEach(Iterator<String> lines, LineParser<T> parser, Predicate<? super T> each,
                                   Progress progress) {
        long lineNumber = 0;
        long chars = 0;
        List<String> texts = new ArrayList<>(BATCH);
        List<Long> numbers = new ArrayList<>(BATCH);
        boolean goOn = true;
        while (goOn && lines.hasNext()) {
            String text = lines.next();
            lineNumber++;
            chars += text.length() + 1;
            if (!text.isBlank()) {
                texts.add(text);
                numbers.add(lineNumber);
            }
            if (texts.size() == BATCH) {
                goOn = parseInOrder(texts, numbers, parser, each);
                progress.read(lineNumber, chars);
            }
        }
        if (goOn) {
            parseInOrder(texts, numbers, parser, each);
        }
        progress.read(lineNumber, chars);
    }

    /** The lines of a reader, for {@link #forEach}; a read failure surfaces as UncheckedIOException. */
    public static Iterator<String> of(BufferedReader in) {
        return in.lines().iterator();
    }

    private static <T> boolean parseInOrder(List<String> texts, List<Long> numbers, LineParser<T> parser,
                                            Predicate<? super T> each) {
        Object[] parsed = IntStream.range(0, texts.size()).parallel()
                .mapToObj(i -> parser.parse(numbers.get(i), texts.get(i)))
                .toArray();
        texts.clear();
        numbers.clear();
        for (Object line : parsed) {
            @SuppressWarnings("unchecked") T typed = (T) line;
            if (!each.test(typed)) {
                return false;
            }
        }
        return true;
    }
}
