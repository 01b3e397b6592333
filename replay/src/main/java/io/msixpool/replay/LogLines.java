package io.msixpool.replay;

import io.msixpool.replay.LineBatches.BatchParser;
import io.msixpool.replay.LineBatches.LineParser;
import io.msixpool.replay.LineBatches.Progress;
import java.io.InputStream;
import java.util.Iterator;
import java.util.function.Predicate;

/** A log to read, as lines of text (a store, read as export writes it) or as bytes (a file, standard input). */
public sealed interface LogLines {

    /** Parses every line, on every core, and hands the results to {@code each} in order (see {@link LineBatches}). */
    <T> void forEach(LineParser<T> parser, BatchParser<T> batchParser, Predicate<? super T> each, Progress progress);

    record Text(Iterator<String> lines) implements LogLines {
        @Override
        public <T> void forEach(LineParser<T> parser, BatchParser<T> batchParser, Predicate<? super T> each,
                                Progress progress) {
            LineBatches.forEach(lines, parser, each, progress);
        }
    }

    record Bytes(InputStream in) implements LogLines {
        @Override
        public <T> void forEach(LineParser<T> parser, BatchParser<T> batchParser, Predicate<? super T> each,
                                Progress progress) {
            LineBatches.forEach(in, parser, batchParser, each, progress);
        }
    }
}
