package io.msixpool.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an exported line straight from the parser's tokens into the event record and its envelope,
 * in one pass and without Jackson's data binding: replay spends most of its time reading lines,
 * and binding costs about three times the bare parse (docs/benchmarks.md).
 *
 * <p>It is a fast path, never a second definition: it reads only lines that are plainly well
 * formed, in the current revision (every field of the type present once, of its JSON type, nothing
 * else), and answers null for anything else, which {@link EventLogFormat#read} then reads through
 * Jackson's binding, the reference. A test reads every event type both ways and requires the same
 * records from both, and that this path took each of them.
 *
 * <p>This class takes lines and batches of lines apart into objects; {@link DirectEventFields}
 * reads an object's fields into the event, {@link DirectEnvelopeReader} its envelope.
 */
final class DirectLineReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DirectLineReader() {
    }

    static LoggedEvent read(String line) {
        try (JsonParser parser = FACTORY.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            LoggedEvent read = read(parser);
            return read != null && parser.nextToken() == null ? read : null;
        } catch (IOException | RuntimeException notPlain) {
            return null;
        }
    }

    /**
     * Every line of {@code bytes[from, to)} (UTF-8, one JSON object a line, blank lines allowed)
     * read through one parser: parsing a whole batch in one go saves the set-up of a parser per
     * line, which costs as much as the line. Null as soon as one line is not plain, or a line does
     * not hold exactly one object: the caller then reads the batch line by line.
     */
    static List<LoggedEvent> readLines(byte[] bytes, int from, int to) {
        // The parser counts a bare \r as a line end, the log's readers do not: such a batch goes line by line.
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\r' && (i + 1 == to || bytes[i + 1] != '\n')) {
                return null;
            }
        }
        try (JsonParser parser = FACTORY.createParser(bytes, from, to - from)) {
            List<LoggedEvent> lines = new ArrayList<>();
            int lastLine = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int line = parser.currentTokenLocation().getLineNr();
                if (token != JsonToken.START_OBJECT || line <= lastLine) {
                    return null;
                }
                LoggedEvent read = read(parser);
                if (read == null || parser.currentLocation().getLineNr() != line) {
                    return null;
                }
                lines.add(read);
                lastLine = line;
            }
            return lines;
        } catch (IOException | RuntimeException notPlain) {
            return null;
        }
    }

    /** The object the parser stands at the start of, read up to its end; null when it is not plain. */
    private static LoggedEvent read(JsonParser parser) throws IOException {
        DirectEventFields fields = new DirectEventFields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (!fields.read(parser.currentName(), parser)) {
                return null;
            }
        }
        return parser.currentToken() == JsonToken.END_OBJECT ? fields.loggedEvent() : null;
    }

    /** {@link DirectEnvelopeReader#timestamp}: a timestamp as export writes it, or null. */
    static Instant timestamp(String text) {
        return DirectEnvelopeReader.timestamp(text);
    }
}
