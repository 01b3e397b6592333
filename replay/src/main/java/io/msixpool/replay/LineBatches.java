package io.msixpool.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Reads a log's lines in batches, parses the batches on every core, and hands the parsed lines on
 * in log order, on the caller's thread. Parsing a line needs nothing but the line; folding needs
 * order; so while the caller folds one batch, the batches after it are parsed on the other cores
 * (a few batches ahead, so memory stays bounded).
 *
 * <p>A log comes as lines of text (from a store) or as bytes (a file, standard input). Bytes are
 * cut into batches of whole lines on the caller's thread and split and decoded on the parsing
 * threads, so that the caller does little but fold; a {@link BatchParser} may read a batch's bytes
 * in one go.
 */
public final class LineBatches {
    /** Lines of text parsed together: enough to keep every core busy, few enough to stay in cache. */
    private static final int BATCH = 2048;
    /** Bytes read and parsed together, about as many lines as {@link #BATCH}. */
    private static final int CHUNK = 1 << 20;

    /** How one line is parsed: its 1-based number and its text in, anything out. */
    @FunctionalInterface
    public interface LineParser<T> {
        T parse(long line, String text);
    }

    /**
     * How a whole batch of lines may be parsed at once: {@code bytes[from, to)} holds whole lines,
     * UTF-8. Answers one result per non-blank line, or null to have the batch parsed line by line.
     */
    @FunctionalInterface
    public interface BatchParser<T> {
        List<T> parse(byte[] bytes, int from, int to);
    }

    /** Progress so far: lines read and characters (bytes, for a byte source) read, line ends included. */
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
        Batches<T> batches = new Batches<>() {
            long lineNumber;
            long chars;

            @Override
            public Batch<T> next(ExecutorService pool) {
                if (!lines.hasNext()) {
                    return null;
                }
                List<String> texts = new ArrayList<>(BATCH);
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
                return new Batch<>(pool.submit(() -> parseTexts(texts, numbers, parser)), lineNumber, chars);
            }
        };
        run(batches, each, progress);
    }

    /**
     * Parses every line of {@code in} (UTF-8, lines ended by {@code \n}, a {@code \r} before it
     * dropped) and hands each result to {@code each}, in order, until {@code each} answers false or
     * the input ends; blank lines are skipped but counted. {@code batchParser}, when not null, gets
     * the first try at each batch; {@code parser} reads the batches it declines, line by line.
     */
    public static <T> void forEach(InputStream in, LineParser<T> parser, BatchParser<T> batchParser,
                                   Predicate<? super T> each, Progress progress) {
        forEach(in, parser, batchParser, each, progress, CHUNK);
    }

    /** As above, with batches of about {@code chunkSize} bytes (tests cut lines at every place with small ones). */
    static <T> void forEach(InputStream in, LineParser<T> parser, BatchParser<T> batchParser,
                            Predicate<? super T> each, Progress progress, int chunkSize) {
        Batches<T> batches = new Batches<>() {
            byte[] carried = new byte[0];
            long lineNumber;
            long bytes;
            boolean ended;

            @Override
            public Batch<T> next(ExecutorService pool) {
                if (ended) {
                    return null;
                }
                byte[] chunk = Arrays.copyOf(carried, Math.max(chunkSize, carried.length * 2));
                int length = carried.length;
                int lastNewline;
                while (true) {
                    length += read(in, chunk, length);
                    ended = length < chunk.length;  // readNBytes fills the chunk unless the input ended
                    lastNewline = lastNewline(chunk, length);
                    if (lastNewline >= 0 || ended) {
                        break;
                    }
                    chunk = Arrays.copyOf(chunk, chunk.length * 2);  // a line longer than the chunk
                }
                int cut = ended ? length : lastNewline + 1;  // at the end, the last line may lack its \n
                carried = Arrays.copyOfRange(chunk, cut, length);
                if (cut == 0) {
                    return null;
                }
                long first = lineNumber + 1;
                int lines = count(chunk, cut) + (chunk[cut - 1] == '\n' ? 0 : 1);
                lineNumber += lines;
                bytes += cut;
                byte[] batch = chunk;
                Callable<List<T>> parse = () -> {
                    List<T> parsed = batchParser == null ? null : batchParser.parse(batch, 0, cut);
                    return parsed != null ? parsed : parseBytes(batch, cut, first, parser);
                };
                return new Batch<>(pool.submit(parse), lineNumber, bytes);
            }
        };
        run(batches, each, progress);
    }

    /** Where the batches come from: the next one, already handed to the pool, or null at the end. */
    private interface Batches<T> {
        Batch<T> next(ExecutorService pool);
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

    private static <T> void run(Batches<T> batches, Predicate<? super T> each, Progress progress) {
        int parsers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(parsers, runnable -> {
            Thread thread = new Thread(runnable, "log-parser");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Batch<T>> ahead = new ArrayDeque<>();
            boolean goOn = true;
            while (goOn) {
                while (ahead.size() < 2 * parsers + 1) {
                    Batch<T> batch = batches.next(pool);
                    if (batch == null) {
                        break;
                    }
                    ahead.add(batch);
                }
                Batch<T> next = ahead.pollFirst();
                if (next == null) {
                    break;
                }
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

    private static <T> List<T> parseTexts(List<String> texts, long[] numbers, LineParser<T> parser) {
        List<T> parsed = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            parsed.add(parser.parse(numbers[i], texts.get(i)));
        }
        return parsed;
    }

    /** Splits {@code bytes[0, length)} into lines, decodes them and parses the non-blank ones. */
    private static <T> List<T> parseBytes(byte[] bytes, int length, long firstLine, LineParser<T> parser) {
        List<T> parsed = new ArrayList<>();
        long line = firstLine;
        for (int start = 0; start < length; line++) {
            int newline = indexOf(bytes, start, length);
            int end = newline < 0 ? length : newline;
            int textEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            String text = new String(bytes, start, textEnd - start, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                parsed.add(parser.parse(line, text));
            }
            start = end + 1;
        }
        return parsed;
    }

    private static int read(InputStream in, byte[] into, int from) {
        try {
            int read = in.readNBytes(into, from, into.length - from);
            return Math.max(read, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log", e);
        }
    }

    private static int lastNewline(byte[] bytes, int to) {
        for (int i = to - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int count(byte[] bytes, int to) {
        int lines = 0;
        for (int i = 0; i < to; i++) {
            if (bytes[i] == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
