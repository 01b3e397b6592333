package io.msixpool.replay;

import java.io.BufferedReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Reads a log's lines in batches, parses the batches on every core, and hands the parsed lines on
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
     *
     * <p>While the caller folds one batch, the batches after it are parsed on the other cores (a few
     * batches ahead, so memory stays bounded): the fold never waits for parsing it could overlap.
     */
    public static <T> void forEach(Iterator<String> lines, LineParser<T> parser, Predicate<? super T> each,
                                   Progress progress) {
        int parsers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(parsers, runnable -> {
            Thread thread = new Thread(runnable, "log-parser");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Batch<T>> ahead = new ArrayDeque<>();
            long lineNumber = 0;
            long chars = 0;
            boolean goOn = true;
            while (goOn && (lines.hasNext() || !ahead.isEmpty())) {
                while (ahead.size() < 2 * parsers + 1 && lines.hasNext()) {
                    List<String> texts = new ArrayList<>(BATCH);
                    long first = lineNumber + 1;
                    long[] numbers = new long[BATCH];
                    while (texts.size() < BATCH && lines.hasNext()) {
                        String text = lines.next();
                        lineNumber++;
                        chars += text.length() + 1;
                        if (!text.isBlank()) {
                            numbers[texts.size()] = lineNumber;
                            texts.add(text);
                        }
                    }
                    long readLines = lineNumber;
                    long readChars = chars;
                    ahead.add(new Batch<>(pool.submit(() -> parse(texts, numbers, parser)), readLines, readChars));
                }
                Batch<T> next = ahead.removeFirst();
                for (T parsed : next.await()) {
                    if (!each.test(parsed)) {
                        goOn = false;
                        break;
                    }
                }
                progress.read(next.lines(), next.chars());
            }
            ahead.forEach(batch -> batch.parsed().cancel(true));
        } finally {
            pool.shutdownNow();
        }
    }

    /** The lines of a reader, for {@link #forEach}; a read failure surfaces as UncheckedIOException. */
    public static Iterator<String> of(BufferedReader in) {
        return in.lines().iterator();
    }

    /** A batch being parsed, with how far the log had been read when it was cut. */
    private record Batch<T>(Future<List<T>> parsed, long lines, long chars) {
        List<T> await() {
            try {
                return parsed.get();
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(failed.getCause());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the log", interrupted);
            }
        }
    }

    private static <T> List<T> parse(List<String> texts, long[] numbers, LineParser<T> parser) {
        List<T> parsed = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            parsed.add(parser.parse(numbers[i], texts.get(i)));
        }
        return parsed;
    }
}
